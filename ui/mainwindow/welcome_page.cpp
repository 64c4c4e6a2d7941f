#include "ui/mainwindow/welcome_page.h"

#include <QAction>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/mainwindow/presets.h"
#include "ui/preferences/data_folders.h"

namespace il::ui {

namespace {

// Centres `inner` horizontally.
QHBoxLayout* centred(QLayout* inner)
{
    auto* row = new QHBoxLayout;
    row->addStretch(1);
    row->addLayout(inner);
    row->addStretch(1);
    return row;
}

QHBoxLayout* centred(QWidget* inner)
{
    auto* row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(inner);
    row->addStretch(1);
    return row;
}

}  // namespace

WelcomePage::WelcomePage(const std::vector<Preset>& quickStarts, QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("welcome"));
    // The page scrolls when the window is small; its content is centred otherwise.
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* content = new QWidget;
    content->setObjectName(QStringLiteral("welcomeContent"));
    scroll->setWidget(content);
    auto* pageLayout = new QVBoxLayout(this);
    pageLayout->setContentsMargins(0, 0, 0, 0);
    pageLayout->addWidget(scroll);

    auto* outer = new QVBoxLayout(content);
    outer->addStretch(1);
    auto* title = new QLabel(tr("Identity Crisis"));
    title->setObjectName(QStringLiteral("welcomeTitle"));
    title->setAlignment(Qt::AlignCenter);
    auto* text =
        new QLabel(tr("Train a network on <b>one</b> handwritten 7 to reproduce its input, then show it other "
                      "images.<br>Shallow CNNs learn the <b>identity</b>: every input comes back. Deep CNNs "
                      "learn the <b>constant</b>: they draw the 7 whatever they see.<br>"
                      "<i>Zhang, Bengio, Hardt, Mozer, Singer: Identity Crisis: Memorization and "
                      "Generalization under Extreme Overparameterization, ICLR 2020.</i>"));
    text->setObjectName(QStringLiteral("welcomeText"));
    text->setWordWrap(true);
    text->setAlignment(Qt::AlignCenter);
    text->setMinimumWidth(640);
    text->setMaximumWidth(900);
    outer->addWidget(title);
    outer->addSpacing(8);
    outer->addLayout(centred(text));
    outer->addSpacing(24);

    // One click, and training starts (MainWindow::startPreset).
    auto* grid = new QGridLayout;
    int row = 0;
    for (const auto& preset : quickStarts) {
        auto* button = new QPushButton(preset.title);
        button->setObjectName(QStringLiteral("welcomeButton"));
        button->setProperty("preset", preset.id);
        button->setAccessibleName(preset.title);
        button->setToolTip(preset.explanation);
        button->setMinimumWidth(380);
        if (row == 0) button->setDefault(true);  // the first one: the 5-layer CNN on a 7
        auto* explanation = new QLabel(preset.explanation);
        explanation->setWordWrap(true);
        explanation->setMaximumWidth(420);
        grid->addWidget(button, row, 0);
        grid->addWidget(explanation, row, 1);
        const QString id = preset.id;
        connect(button, &QPushButton::clicked, this, [this, id] { emit presetRequested(id); });
        ++row;
    }
    auto* open = new QPushButton(tr("Open a saved run or a config..."));
    open->setObjectName(QStringLiteral("welcomeButton"));
    open->setAccessibleName(open->text());
    connect(open, &QPushButton::clicked, this, &WelcomePage::openRequested);
    grid->addWidget(open, row, 0);
    outer->addLayout(centred(grid));
    outer->addSpacing(16);
    auto* hint = new QLabel(tr("Or set up any network in the Experiment panel on the left and press <b>Train</b>."));
    hint->setAlignment(Qt::AlignCenter);
    outer->addWidget(hint);
    outer->addSpacing(24);

    // The paper's figures: filled by setPaperFigures().
    figuresTitle_ = new QLabel(tr("<b>The paper's figures</b> (each queues its runs; they collect in the Gallery)"));
    figuresTitle_->setAlignment(Qt::AlignCenter);
    figuresTitle_->setVisible(false);
    outer->addWidget(figuresTitle_);
    seedsRow_ = new QWidget;
    auto* seedsLayout = new QHBoxLayout(seedsRow_);
    seedsLayout->setContentsMargins(0, 0, 0, 0);
    auto* seedsLabel = new QLabel(tr("Weight &seeds per network:"));
    seeds_ = new QSpinBox;
    seeds_->setObjectName(QStringLiteral("welcomeSeeds"));
    seeds_->setRange(1, 100);
    seeds_->setAccessibleName(tr("Weight seeds per network"));
    seeds_->setToolTip(
        tr("Above 1, each network of the figure is trained once per weight seed (0, 1, ...), everything "
           "else the same; the Ensemble view then shows how often each outcome occurs."));
    seedsLabel->setBuddy(seeds_);
    auto* seedsHint = new QLabel(tr("<i>(above 1: the Ensemble view shows the outcomes' shares over the seeds)</i>"));
    seedsLayout->addWidget(seedsLabel);
    seedsLayout->addWidget(seeds_);
    seedsLayout->addWidget(seedsHint);
    seedsRow_->setVisible(false);
    outer->addLayout(centred(seedsRow_));
    figures_ = new QGridLayout;
    figures_->setHorizontalSpacing(12);
    figures_->setVerticalSpacing(2);
    outer->addLayout(centred(figures_));
    outer->addSpacing(16);

    // Where the data comes from, and the way to change it.
    auto* dataRow = new QHBoxLayout;
    data_ = new QLabel;
    data_->setObjectName(QStringLiteral("welcomeData"));
    data_->setWordWrap(true);
    data_->setMinimumWidth(600);
    data_->setMaximumWidth(760);
    auto* folders = new QPushButton(tr("Data folders..."));
    folders->setObjectName(QStringLiteral("welcomePreferences"));
    connect(folders, &QPushButton::clicked, this, &WelcomePage::preferencesRequested);
    dataRow->addWidget(data_);
    dataRow->addWidget(folders);
    outer->addLayout(centred(dataRow));
    outer->addStretch(2);
}

void WelcomePage::setPaperFigures(const QList<QAction*>& actions)
{
    while (QLayoutItem* item = figures_->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    int row = 0;
    for (QAction* action : actions) {
        if (action->isSeparator()) continue;
        auto* run = new QToolButton;
        run->setObjectName(QStringLiteral("paperFigureButton"));
        run->setText(tr("Run"));
        run->setProperty("preset", action->data());
        run->setAccessibleName(action->text());
        run->setToolTip(action->toolTip());
        run->setEnabled(action->isEnabled());
        connect(run, &QToolButton::clicked, this, [this, action] {
            if (seeds_->value() > 1)
                emit paperFigureWithSeedsRequested(action->data().toString(), seeds_->value());
            else
                action->trigger();
        });
        connect(action, &QAction::changed, run, [run, action] { run->setEnabled(action->isEnabled()); });
        auto* title = new QLabel(action->text());
        title->setObjectName(QStringLiteral("paperFigureTitle"));
        title->setFixedWidth(680);
        title->setWordWrap(true);
        auto* description = new QLabel(QStringLiteral("<i>%1</i>").arg(action->toolTip().toHtmlEscaped()));
        description->setObjectName(QStringLiteral("paperFigureDescription"));
        description->setFixedWidth(680);
        description->setWordWrap(true);
        figures_->addWidget(run, row, 0, 2, 1, Qt::AlignTop);
        figures_->addWidget(title, row, 1);
        figures_->addWidget(description, row + 1, 1);
        row += 2;
    }
    figuresTitle_->setVisible(row > 0);
    seedsRow_->setVisible(row > 0);
}

void WelcomePage::setDataLocations(const il::DataLocations& data)
{
    auto describe = [](DataFolderKind kind, const std::string& folder, const QString& fallback) {
        const QString name = dataFolderDisplayName(kind);
        if (folder.empty()) return QStringLiteral("%1: %2").arg(name, fallback);
        const QString path = QString::fromStdString(folder);
        const DataFolderCheck check = checkDataFolder(kind, path);
        return check.ok ? QStringLiteral("%1: %2").arg(name, path.toHtmlEscaped())
                        : QStringLiteral("%1: <span style=\"color:#c62828\">%2 (%3)</span>")
                              .arg(name, path.toHtmlEscaped(), check.summary.toHtmlEscaped());
    };
    QStringList lines;
    lines << (data.mnistDir.empty() ? tr("MNIST: the 2,000 digits shipped with IdentityLab")
                                    : describe(DataFolderKind::Mnist, data.mnistDir, QString()));
    const bool fashionOk = checkDataFolder(DataFolderKind::Fashion, QString::fromStdString(data.fashionDir)).ok;
    lines << (fashionOk ? describe(DataFolderKind::Fashion, data.fashionDir, QString())
                        : tr("Fashion-MNIST: <span style=\"color:#c62828\">not found in %1</span> "
                             "(install Debian's dataset-fashion-mnist package)")
                              .arg(QString::fromStdString(data.fashionDir).toHtmlEscaped()));
    lines << describe(DataFolderKind::Cifar, data.cifarDir, tr("not set (the CIFAR-10 presets need it)"));
    data_->setText(lines.join(QStringLiteral("<br>")));
}

QPushButton* WelcomePage::quickStartButton(const QString& presetId) const
{
    for (auto* b : findChildren<QPushButton*>(QStringLiteral("welcomeButton")))
        if (b->property("preset").toString() == presetId) return b;
    return nullptr;
}

QList<QAbstractButton*> WelcomePage::paperFigureButtons() const
{
    QList<QAbstractButton*> buttons;
    for (auto* b : findChildren<QToolButton*>(QStringLiteral("paperFigureButton"))) buttons << b;
    return buttons;
}

QString WelcomePage::dataText() const { return data_->text(); }

}  // namespace il::ui
