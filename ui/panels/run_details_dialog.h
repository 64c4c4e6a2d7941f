#pragma once
// A run's name and notes, as the user gives them (the gallery's "Name and notes..."). The name
// replaces the run's label in the gallery, the comparison rows and the plot legends; the notes
// are free text. Both are saved with the run (.ilrun, the session).

#include <QDialog>

class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace il::ui {

struct RunRecord;

class RunDetailsDialog : public QDialog {
    Q_OBJECT
public:
    static constexpr int kMaxName = 80;
    static constexpr int kMaxNotes = 20000;

    explicit RunDetailsDialog(const RunRecord& run, QWidget* parent = nullptr);
    QString name() const;  // trimmed; empty: none
    QString notes() const;
    QString problem() const { return problem_; }  // why OK is disabled; empty when it is not
    QLineEdit* nameField() const { return name_; }
    QPlainTextEdit* notesField() const { return notes_; }

private:
    void update();
    QLineEdit* name_;
    QPlainTextEdit* notes_;
    QLabel* problemLabel_;
    QString problem_;
};

}  // namespace il::ui
