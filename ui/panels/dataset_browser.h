#pragma once
// Look through a data set's training split and pick the training image(s) by eye.

#include <QDialog>

#include <memory>
#include <vector>

#include "engine/data/dataset.h"

class QComboBox;
class QLabel;
class QListWidget;

namespace il::ui {

class DatasetBrowser : public QDialog {
    Q_OBJECT
public:
    DatasetBrowser(il::DatasetKind kind, const il::DataLocations& data, QWidget* parent = nullptr);

    void setSelectedIndices(const std::vector<int>& indices);
    std::vector<int> selectedIndices() const;
    bool loaded() const { return set_ != nullptr; }

private:
    void fill();

    std::shared_ptr<const il::LabelledSet> set_;
    std::vector<int> preselected_;
    QComboBox* classFilter_;
    QListWidget* list_;
    QLabel* info_;
};

}  // namespace il::ui
