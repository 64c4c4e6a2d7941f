#pragma once
// A number field that keeps what was typed. It looks and steps like a spin box (arrows, wheel,
// Up/Down), but its text is never clamped, rounded or reverted: an out-of-range or unreadable
// value stays on screen, and the owner marks it with setProblem() (a red frame and the reason
// in the tooltip) until the user changes it. The arrows step within the bounds they are given.

#include <QAbstractSpinBox>

#include <optional>

namespace il::ui {

class NumberField : public QAbstractSpinBox {
    Q_OBJECT
public:
    enum class Kind { Whole, Real };
    explicit NumberField(Kind kind, QWidget* parent = nullptr);

    Kind kind() const { return kind_; }
    // What the arrows step within; typing is not limited by it.
    void setStepBounds(double lo, double hi);
    // Whole: the step. Real: 0 (the default) steps by a tenth of the value's leading digit.
    void setSingleStep(double step) { step_ = step; }
    // A value shown as a word, e.g. -1 as "any"; the word reads back as the value.
    void setSpecialValue(double value, const QString& text);

    QString text() const;
    void setText(const QString& text);
    // The shortest text that reads back as exactly `value`.
    void setNumber(double value);
    // The number typed (the special value's word included); nullopt when it is none. A Whole
    // field's number must be whole.
    std::optional<double> number() const;

    void setProblem(const QString& problem);  // empty: none
    QString problem() const { return problem_; }

    QSize sizeHint() const override;
    QValidator::State validate(QString& input, int& pos) const override;
    void stepBy(int steps) override;

Q_SIGNALS:
    void textChanged();  // every change of the text: typed, stepped or set
    void edited();       // the user typed
    void committed();    // the user is done with a value: Enter, leaving the field, or a step

protected:
    StepEnabled stepEnabled() const override;
    void paintEvent(QPaintEvent* event) override;

private:
    double stepFor(double value, int direction) const;

    Kind kind_;
    double lo_ = -1e300;
    double hi_ = 1e300;
    double step_ = 0.0;
    std::optional<double> special_;
    QString specialText_;
    QString problem_;
    QString tip_;
};

}  // namespace il::ui
