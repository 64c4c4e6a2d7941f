#include "ui/panels/sweep_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>

#include <cmath>

#include "engine/core/errors.h"

namespace il::ui {

QString sweepParameterName(SweepParameter p)
{
    switch (p) {
        case SweepParameter::Depth:
            return QObject::tr("depth");
        case SweepParameter::Channels:
            return QObject::tr("channels");
        case SweepParameter::Width:
            return QObject::tr("width");
        case SweepParameter::KernelSize:
            return QObject::tr("kernel size");
        case SweepParameter::LearningRate:
            return QObject::tr("learning rate");
        case SweepParameter::Seed:
            return QObject::tr("seed");
        case SweepParameter::InitScale:
            return QObject::tr("init scale");
        case SweepParameter::Steps:
            return QObject::tr("steps");
        case SweepParameter::ImageSize:
            return QObject::tr("image size");
    }
    return {};
}

namespace {

bool isInteger(SweepParameter p) { return p != SweepParameter::LearningRate && p != SweepParameter::InitScale; }

}  // namespace

std::vector<double> parseSweepValues(const QString& text, bool integers, QString* error)
{
    std::vector<double> out;
    const QStringList parts = text.split(QRegularExpression(QStringLiteral("[,;\\s]+")), Qt::SkipEmptyParts);
    static const QRegularExpression range(QStringLiteral("^([-+0-9.eE]+)\\s*(?:-|\\.\\.)\\s*([-+0-9.eE]+)(?::([-+0-9.eE]+))?$"));
    for (const QString& part : parts) {
        const auto m = range.match(part);
        if (m.hasMatch() && !part.startsWith(QLatin1Char('-'))) {
            bool ok1 = false, ok2 = false, ok3 = true;
            const double a = m.captured(1).toDouble(&ok1), b = m.captured(2).toDouble(&ok2);
            const double step = m.captured(3).isEmpty() ? 1.0 : m.captured(3).toDouble(&ok3);
            if (!ok1 || !ok2 || !ok3 || step <= 0 || b < a || (b - a) / step > 1000) {
                if (error) *error = QObject::tr("'%1' is not a range like 1-20 or 1-20:2").arg(part);
                return {};
            }
            for (double v = a; v <= b + 1e-9; v += step) out.push_back(integers ? std::round(v) : v);
            continue;
        }
        bool ok = false;
        const double v = part.toDouble(&ok);
        if (!ok) {
            if (error) *error = QObject::tr("'%1' is not a number").arg(part);
            return {};
        }
        out.push_back(integers ? std::round(v) : v);
    }
    if (out.empty() && error) *error = QObject::tr("no values");
    return out;
}

std::vector<il::ExperimentConfig> sweepConfigs(const il::ExperimentConfig& base, const SweepPlan& plan)
{
    std::vector<il::ExperimentConfig> out;
    for (double v : plan.values) {
        il::ExperimentConfig c = base;
        const int i = static_cast<int>(std::lround(v));
        switch (plan.parameter) {
            case SweepParameter::Depth:
                c.depth = i;
                break;
            case SweepParameter::Channels:
                c.channels = i;
                break;
            case SweepParameter::Width:
                c.width = i;
                break;
            case SweepParameter::KernelSize:
                c.kernelSize = i;
                break;
            case SweepParameter::LearningRate:
                c.lr = v;
                break;
            case SweepParameter::Seed:
                c.seed = static_cast<std::uint64_t>(std::max(0, i));
                break;
            case SweepParameter::InitScale:
                c.initScale = v;
                break;
            case SweepParameter::Steps:
                c.steps = i;
                break;
            case SweepParameter::ImageSize:
                c.imageSize = i;
                break;
        }
        out.push_back(c);
    }
    return out;
}

SweepDialog::SweepDialog(const il::ExperimentConfig& base, QWidget* parent) : QDialog(parent), base_(base)
{
    setWindowTitle(tr("Sweep a parameter"));
    auto* form = new QFormLayout(this);
    parameter_ = new QComboBox(this);
    parameter_->setAccessibleName(tr("Parameter to sweep"));
    for (auto p :
         {SweepParameter::Depth, SweepParameter::Channels, SweepParameter::Width, SweepParameter::KernelSize, SweepParameter::LearningRate,
          SweepParameter::Seed, SweepParameter::InitScale, SweepParameter::Steps, SweepParameter::ImageSize})
        parameter_->addItem(sweepParameterName(p), static_cast<int>(p));
    values_ = new QLineEdit(QStringLiteral("1, 3, 5, 7, 9, 12, 14, 16, 18, 20"), this);
    values_->setAccessibleName(tr("Values"));
    values_->setToolTip(tr("A list (1, 3, 5), a range (1-20) or a range with a step (1-20:2)."));
    preview_ = new QLabel(this);
    preview_->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Queue runs"));
    form->addRow(tr("Parameter"), parameter_);
    form->addRow(tr("Values"), values_);
    form->addRow(preview_);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(parameter_, &QComboBox::currentIndexChanged, this, &SweepDialog::update);
    connect(values_, &QLineEdit::textChanged, this, &SweepDialog::update);
    update();
}

SweepPlan SweepDialog::plan() const
{
    SweepPlan p;
    p.parameter = static_cast<SweepParameter>(parameter_->currentData().toInt());
    p.values = parseSweepValues(values_->text(), isInteger(p.parameter));
    return p;
}

std::vector<il::ExperimentConfig> SweepDialog::configs() const { return sweepConfigs(base_, plan()); }

void SweepDialog::update()
{
    QString error;
    const auto p = static_cast<SweepParameter>(parameter_->currentData().toInt());
    const auto values = parseSweepValues(values_->text(), isInteger(p), &error);
    QString text;
    bool ok = error.isEmpty();
    if (ok) {
        int refused = 0;
        QString firstProblem;
        for (const auto& c : sweepConfigs(base_, {p, values})) {
            try {
                il::validate(c);
            } catch (const il::Error& e) {
                if (refused++ == 0) firstProblem = QString::fromStdString(e.what());
            }
        }
        text = tr("%n run(s) of %1 steps each, one after the other.", nullptr, static_cast<int>(values.size())).arg(base_.steps);
        if (refused > 0) {
            text += tr("\n%1 of them cannot run: %2").arg(refused).arg(firstProblem);
            ok = false;
        }
    } else {
        text = error;
    }
    preview_->setText(text);
    if (auto* b = findChild<QDialogButtonBox*>()) b->button(QDialogButtonBox::Ok)->setEnabled(ok);
}

}  // namespace il::ui
