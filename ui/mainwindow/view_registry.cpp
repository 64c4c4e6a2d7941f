#include "ui/mainwindow/view_registry.h"

#include <QAction>
#include <QMenu>
#include <QStringList>
#include <QTabWidget>

#include <algorithm>

#include "ui/views/run_view.h"

namespace il::ui {

ViewRegistry::ViewRegistry(QTabWidget* tabs) : tabs_(tabs) {}

void ViewRegistry::add(Entry entry)
{
    const int tab = tabs_->addTab(entry.page, entry.title);
    tabs_->setTabToolTip(tab, helpText(entry));
    entries_.push_back(std::move(entry));
}

void ViewRegistry::add(RunView* view, const QString& title, const QKeySequence& shortcut)
{
    add(Entry{view->viewId(), title, view, {view}, shortcut});
}

const ViewRegistry::Entry* ViewRegistry::find(const QString& id) const
{
    for (const Entry& e : entries_) {
        if (e.id == id) return &e;
        for (const RunView* v : e.views)
            if (v->viewId() == id) return &e;
    }
    return nullptr;
}

const ViewRegistry::Entry* ViewRegistry::current() const
{
    const QWidget* page = tabs_->currentWidget();
    auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.page == page; });
    return it == entries_.end() ? nullptr : &*it;
}

bool ViewRegistry::show(const QString& id) const
{
    const Entry* e = find(id);
    if (!e) return false;
    tabs_->setCurrentWidget(e->page);
    return true;
}

std::vector<RunView*> ViewRegistry::runViews() const
{
    std::vector<RunView*> all;
    for (const Entry& e : entries_) all.insert(all.end(), e.views.begin(), e.views.end());
    return all;
}

RunView* ViewRegistry::runView(const QString& id) const
{
    for (RunView* v : runViews())
        if (v->viewId() == id) return v;
    return nullptr;
}

RunView* ViewRegistry::exportTarget() const
{
    const Entry* e = current();
    return e && !e->views.empty() ? e->views.front() : nullptr;
}

QString ViewRegistry::helpText(const Entry& entry) const
{
    QStringList paragraphs;
    for (const RunView* v : entry.views) paragraphs << v->helpText();
    return paragraphs.join(QStringLiteral("<br><br>"));
}

void ViewRegistry::addMenuActions(QMenu* menu, const std::function<void(const QString& id)>& show) const
{
    for (const Entry& e : entries_) {
        // The tab's text as it is: a menu, like a tab bar, shows "&&" as one "&".
        const QString id = e.id;
        QAction* a = menu->addAction(e.title, menu, [show, id] { show(id); });
        a->setShortcut(e.shortcut);
    }
}

}  // namespace il::ui
