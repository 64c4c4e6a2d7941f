#pragma once
// File > Preferences: where the full MNIST, Fashion-MNIST and CIFAR-10 are. Each folder is
// checked as it is typed or chosen, and the dialog says which expected files are missing; OK
// saves the folders in the preferences (data_folders.h). A folder whose environment variable
// is set is shown, read-only: the variable wins over the preferences.

#include <QDialog>

#include <array>

#include "ui/preferences/data_folders.h"

class QDialogButtonBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace il::ui {

class PreferencesDialog : public QDialog {
    Q_OBJECT
public:
    explicit PreferencesDialog(QWidget* parent = nullptr);

    QLineEdit* folderEdit(DataFolderKind kind) const { return rows_[index(kind)].edit; }
    QLabel* statusLabel(DataFolderKind kind) const { return rows_[index(kind)].status; }
    QPushButton* okButton() const;
    // The folder checks of what the dialog shows now.
    DataFolderCheck check(DataFolderKind kind) const;

    void accept() override;

private:
    struct Row {
        QLineEdit* edit = nullptr;
        QLabel* status = nullptr;
        bool fromEnvironment = false;
    };
    static int index(DataFolderKind kind) { return static_cast<int>(kind); }
    void addRow(DataFolderKind kind, QGridLayout* grid, int row);
    void updateStatus(DataFolderKind kind);
    void updateOk();

    std::array<Row, 3> rows_;
    QDialogButtonBox* buttons_ = nullptr;
};

}  // namespace il::ui
