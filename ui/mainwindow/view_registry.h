#pragma once
// The window's views, registered by id. Each entry is one tab: its id, title, page, the run
// views on the page and its View menu shortcut. The tabs, their tooltips, the View menu,
// "Export view" and showView(id) are all built from the entries, so a new view is one
// registration and nothing refers to a tab by its position.

#include <QKeySequence>
#include <QString>

#include <functional>
#include <vector>

class QMenu;
class QTabWidget;
class QWidget;

namespace il::ui {

class RunView;

class ViewRegistry {
public:
    struct Entry {
        QString id;                   // "outputs": showView(id), --view, exported file names
        QString title;                // the tab's text ("Loss && layers": && shows one &)
        QWidget* page = nullptr;      // the tab's widget
        std::vector<RunView*> views;  // the run views on the page; the first is the one exported
        QKeySequence shortcut;        // View menu
    };

    explicit ViewRegistry(QTabWidget* tabs);

    // A page of several run views (or other widgets around them).
    void add(Entry entry);
    // A page that is one run view: the entry takes the view's id.
    void add(RunView* view, const QString& title, const QKeySequence& shortcut);

    const std::vector<Entry>& entries() const { return entries_; }
    // The entry with this id, or whose page shows a run view with this id; nullptr if none.
    const Entry* find(const QString& id) const;
    const Entry* current() const;
    // Makes the tab of `id` (an entry's or a run view's id) current; false when there is none.
    bool show(const QString& id) const;

    std::vector<RunView*> runViews() const;      // every run view, in registration order
    RunView* runView(const QString& id) const;   // by the run view's own id
    RunView* exportTarget() const;               // the current page's first run view
    QString helpText(const Entry& entry) const;  // its run views' help, one paragraph each

    // One action per view, in registration order, calling `show` with the entry's id.
    void addMenuActions(QMenu* menu, const std::function<void(const QString& id)>& show) const;

private:
    QTabWidget* tabs_;
    std::vector<Entry> entries_;
};

}  // namespace il::ui
