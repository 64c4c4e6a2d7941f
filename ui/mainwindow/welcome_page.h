#pragma once
// The first thing a user sees, and what the window shows while there is no run: what the
// experiment is, one-click experiments ("Train the 5-layer CNN on a 7" starts at once), the
// paper's figures from resources/presets with their one-line descriptions, and where the data
// comes from. It only asks: MainWindow does the work (startPreset, the Run > Paper figures
// actions, File > Open, File > Preferences).

#include <QList>
#include <QWidget>

#include <vector>

#include "engine/data/dataset.h"

class QAction;
class QAbstractButton;
class QGridLayout;
class QLabel;
class QPushButton;
class QSpinBox;

namespace il::ui {

struct Preset;

class WelcomePage : public QWidget {
    Q_OBJECT
public:
    explicit WelcomePage(const std::vector<Preset>& quickStarts, QWidget* parent = nullptr);

    // One row per action of Run > Paper figures: a button that triggers it (enabled as the
    // action is), the preset's title and its description (the action's tool tip). With more
    // than one weight seed set above them, the button asks for the figure with that many seeds
    // instead (paperFigureWithSeedsRequested, the action's data being the preset's name).
    void setPaperFigures(const QList<QAction*>& actions);
    QSpinBox* seedsBox() const { return seeds_; }
    // The line that says where MNIST, Fashion-MNIST and CIFAR-10 come from.
    void setDataLocations(const il::DataLocations& data);

    QPushButton* quickStartButton(const QString& presetId) const;
    QList<QAbstractButton*> paperFigureButtons() const;
    QString dataText() const;

Q_SIGNALS:
    void presetRequested(const QString& presetId);
    void openRequested();
    void preferencesRequested();
    void paperFigureWithSeedsRequested(const QString& presetName, int seeds);

private:
    QGridLayout* figures_ = nullptr;
    QLabel* figuresTitle_ = nullptr;
    QWidget* seedsRow_ = nullptr;
    QSpinBox* seeds_ = nullptr;
    QLabel* data_ = nullptr;
};

}  // namespace il::ui
