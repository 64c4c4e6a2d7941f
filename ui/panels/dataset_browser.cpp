#include "ui/panels/dataset_browser.h"

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>

#include <algorithm>

#include "engine/core/errors.h"
#include "ui/figures/image_convert.h"

namespace il::ui {

namespace {
constexpr int kMaxShown = 3000;  // icons are cheap, but not 60000 of them
}

DatasetBrowser::DatasetBrowser(il::DatasetKind kind, const il::DataLocations& data, QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Pick training images - %1").arg(QString::fromLatin1(il::datasetDisplayName(kind))));
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    classFilter_ = new QComboBox(this);
    classFilter_->setAccessibleName(tr("Class filter"));
    classFilter_->addItem(tr("all classes"), -1);
    info_ = new QLabel(this);
    top->addWidget(new QLabel(tr("Show:"), this));
    top->addWidget(classFilter_);
    top->addWidget(info_, 1);
    layout->addLayout(top);
    list_ = new QListWidget(this);
    list_->setViewMode(QListView::IconMode);
    list_->setIconSize(QSize(56, 56));
    list_->setGridSize(QSize(72, 84));
    list_->setResizeMode(QListView::Adjust);
    list_->setUniformItemSizes(true);
    list_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    list_->setAccessibleName(tr("Training images"));
    list_->setToolTip(tr("Click to pick one image; Ctrl+click for several (the two- and three-example experiments)."));
    layout->addWidget(list_, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(720, 560);

    QApplication::setOverrideCursor(Qt::WaitCursor);
    try {
        set_ = il::loadDatasetShared(kind, il::Split::Train, data);
    } catch (const il::Error& e) {
        info_->setText(QString::fromStdString(e.what()));
        info_->setWordWrap(true);
    }
    QApplication::restoreOverrideCursor();
    if (set_) {
        for (std::size_t i = 0; i < set_->classNames.size(); ++i)
            classFilter_->addItem(QStringLiteral("%1 %2").arg(i).arg(QString::fromStdString(set_->classNames[i])), static_cast<int>(i));
        const int seven = classFilter_->findData(7);
        if (seven >= 0 && kind == il::DatasetKind::Mnist) classFilter_->setCurrentIndex(seven);
    }
    connect(classFilter_, &QComboBox::currentIndexChanged, this, &DatasetBrowser::fill);
    fill();
}

void DatasetBrowser::setSelectedIndices(const std::vector<int>& indices)
{
    preselected_ = indices;
    if (!indices.empty()) classFilter_->setCurrentIndex(0);
    fill();
}

std::vector<int> DatasetBrowser::selectedIndices() const
{
    std::vector<int> out;
    for (QListWidgetItem* item : list_->selectedItems()) out.push_back(item->data(Qt::UserRole).toInt());
    std::sort(out.begin(), out.end());
    return out;
}

void DatasetBrowser::fill()
{
    list_->clear();
    if (!set_) return;
    const int wanted = classFilter_->currentData().toInt();
    int shown = 0, matching = 0;
    for (std::size_t i = 0; i < set_->images.size(); ++i) {
        if (wanted >= 0 && set_->labels[i] != wanted) continue;
        ++matching;
        if (shown >= kMaxShown) continue;
        const il::Image& image = set_->images[i];
        QImage picture = toQImage(image, 2);
        auto* item = new QListWidgetItem(QIcon(QPixmap::fromImage(picture)), QString::number(i), list_);
        item->setData(Qt::UserRole, static_cast<int>(i));
        item->setToolTip(
            tr("index %1, class %2").arg(i).arg(QString::fromStdString(set_->classNames[static_cast<std::size_t>(set_->labels[i])])));
        if (std::find(preselected_.begin(), preselected_.end(), static_cast<int>(i)) != preselected_.end()) item->setSelected(true);
        ++shown;
    }
    info_->setText(matching > shown ? tr("showing the first %1 of %2").arg(shown).arg(matching) : tr("%n image(s)", nullptr, matching));
}

}  // namespace il::ui
