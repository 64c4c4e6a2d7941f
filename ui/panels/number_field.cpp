#include "ui/panels/number_field.h"

#include <QFontMetrics>
#include <QLineEdit>
#include <QLocale>
#include <QPainter>
#include <QPen>
#include <QStyle>

#include <algorithm>
#include <cmath>

namespace il::ui {

NumberField::NumberField(Kind kind, QWidget* parent) : QAbstractSpinBox(parent), kind_(kind)
{
    step_ = kind == Kind::Whole ? 1.0 : 0.0;
    setAccelerated(true);
    // QAbstractSpinBox keeps no value of its own here (no QVariant type): without keyboard
    // tracking it never tries to interpret the text, which stays exactly as typed.
    setKeyboardTracking(false);
    connect(lineEdit(), &QLineEdit::textChanged, this, &NumberField::textChanged);
    connect(lineEdit(), &QLineEdit::textEdited, this, &NumberField::edited);
    connect(this, &QAbstractSpinBox::editingFinished, this, &NumberField::committed);
}

void NumberField::setStepBounds(double lo, double hi)
{
    lo_ = lo;
    hi_ = hi;
    update();
}

void NumberField::setSpecialValue(double value, const QString& text)
{
    special_ = value;
    specialText_ = text;
}

QString NumberField::text() const { return lineEdit()->text(); }

void NumberField::setText(const QString& text)
{
    if (lineEdit()->text() != text) lineEdit()->setText(text);
}

void NumberField::setNumber(double value)
{
    if (special_ && value == *special_) {
        setText(specialText_);
        return;
    }
    if (kind_ == Kind::Whole && std::isfinite(value) && value == std::trunc(value) && std::abs(value) < 9e18) {
        setText(QString::number(static_cast<long long>(value)));
        return;
    }
    QString text = QString::number(value, 'g', QLocale::FloatingPointShortest);
    const int e = text.indexOf(QLatin1Char('e'));
    if (e > 0 && std::abs(value) >= 1e-6 && std::abs(value) < 1e15) {
        // "0.0004", not "4e-04": the same digits without an exponent, as a rate is written.
        const int exponent = text.mid(e + 1).toInt();
        const int dot = text.indexOf(QLatin1Char('.'));
        const int decimals = (dot > 0 && dot < e ? e - dot - 1 : 0) - exponent;
        text = QString::number(value, 'f', std::max(0, decimals));
    }
    setText(text);
}

std::optional<double> NumberField::number() const
{
    const QString t = text().trimmed();
    if (special_ && t.compare(specialText_, Qt::CaseInsensitive) == 0) return *special_;
    bool ok = false;
    if (kind_ == Kind::Whole) {
        // Exactly, when it fits in 64 bits (seeds); "1e3" is a whole number too.
        const qlonglong whole = t.toLongLong(&ok);
        if (ok) return static_cast<double>(whole);
    }
    const double v = t.toDouble(&ok);  // the C locale: "0.01", "1e-3"
    if (!ok || !std::isfinite(v)) return std::nullopt;
    if (kind_ == Kind::Whole && v != std::trunc(v)) return std::nullopt;
    return v;
}

void NumberField::setProblem(const QString& problem)
{
    if (problem == problem_) return;
    if (problem_.isEmpty()) tip_ = toolTip();
    problem_ = problem;
    setToolTip(problem.isEmpty() ? tip_ : QStringLiteral("<b>%1</b><br>%2").arg(problem.toHtmlEscaped(), tip_.toHtmlEscaped()));
    setAccessibleDescription(problem);
    update();
}

void NumberField::paintEvent(QPaintEvent* event)
{
    QAbstractSpinBox::paintEvent(event);
    if (problem_.isEmpty()) return;
    // A red frame drawn over the style's: a style sheet would make the style draw the arrows
    // its own plainer way.
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(QColor(0xc0, 0x39, 0x2b), 2));
    painter.setBrush(Qt::NoBrush);
    painter.drawRoundedRect(QRectF(rect()).adjusted(1, 1, -1, -1), 3, 3);
}

QSize NumberField::sizeHint() const
{
    // QAbstractSpinBox sizes itself by its minimum and maximum as text, which it has none of
    // here: room for a number such as 0.999999999, plus the arrows.
    const QSize base = QAbstractSpinBox::sizeHint();
    return {std::max(base.width(), fontMetrics().horizontalAdvance(QStringLiteral("0.999999999")) + 36), base.height()};
}

QValidator::State NumberField::validate(QString&, int&) const
{
    // Every text is kept; whether it is a good value is said beside the field, not by refusing
    // keystrokes or reverting the text when the field loses focus.
    return QValidator::Acceptable;
}

double NumberField::stepFor(double value, int direction) const
{
    if (kind_ == Kind::Whole || step_ > 0.0) return step_ > 0.0 ? step_ : 1.0;
    // A tenth of the leading digit (0.01 -> 0.001); going down from a power of ten, a tenth of
    // the next digit down, so 0.01 steps to 0.009 and not to 0.
    if (value == 0.0) return 0.1;
    double exponent = std::floor(std::log10(std::abs(value)));
    if (direction < 0 && std::abs(value) == std::pow(10.0, exponent)) exponent -= 1;
    return std::pow(10.0, exponent - 1);
}

void NumberField::stepBy(int steps)
{
    const std::optional<double> now = number();
    double v = now ? *now : std::max(lo_, std::min(hi_, 0.0));
    const int direction = steps > 0 ? 1 : -1;
    // Outside the bounds, the arrows bring the value back to the nearest one.
    if ((v > hi_ && direction < 0) || (v < lo_ && direction > 0)) {
        setNumber(v > hi_ ? hi_ : lo_);
        lineEdit()->selectAll();
        emit committed();
        return;
    }
    for (int i = 0; i < std::abs(steps); ++i) {
        const double step = stepFor(v, direction);
        double next = v + direction * step;
        // Whole multiples of the step, without the binary fraction's tail (0.011, not 0.0110000001).
        next = std::round(next / step) * step;
        if (next < lo_ || next > hi_) break;  // the arrows stay within the bounds
        v = next;
    }
    if (kind_ == Kind::Real) v = QString::number(v, 'g', 12).toDouble();
    setNumber(v);
    lineEdit()->selectAll();
    emit committed();
}

QAbstractSpinBox::StepEnabled NumberField::stepEnabled() const
{
    if (isReadOnly()) return StepNone;
    const std::optional<double> v = number();
    if (!v) return StepUpEnabled | StepDownEnabled;
    StepEnabled e = StepNone;
    if (*v < hi_) e |= StepUpEnabled;
    if (*v > lo_) e |= StepDownEnabled;
    return e;
}

}  // namespace il::ui
