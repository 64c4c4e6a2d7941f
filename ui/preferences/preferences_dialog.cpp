#include "ui/preferences/preferences_dialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace il::ui {

namespace {

constexpr DataFolderKind kKinds[] = {DataFolderKind::Mnist, DataFolderKind::Fashion, DataFolderKind::Cifar};

QString objectNameOf(DataFolderKind kind)
{
    switch (kind) {
        case DataFolderKind::Mnist:
            return QStringLiteral("mnist");
        case DataFolderKind::Fashion:
            return QStringLiteral("fashion");
        case DataFolderKind::Cifar:
            return QStringLiteral("cifar");
    }
    return {};
}

}  // namespace

PreferencesDialog::PreferencesDialog(QWidget* parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("preferencesDialog"));
    setWindowTitle(tr("Preferences"));
    auto* layout = new QVBoxLayout(this);
    auto* intro =
        new QLabel(tr("<b>Data folders.</b> IdentityLab ships 2,000 MNIST digits and reads Fashion-MNIST from "
                      "Debian's <tt>dataset-fashion-mnist</tt> package. Point it at the full MNIST or at "
                      "CIFAR-10 (the binary version) here. An environment variable "
                      "(<tt>IDENTITYLAB_MNIST_DIR</tt>, <tt>IDENTITYLAB_FASHION_DIR</tt>, "
                      "<tt>IDENTITYLAB_CIFAR_DIR</tt>) wins over these settings."));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto* grid = new QGridLayout;
    grid->setColumnStretch(1, 1);
    int row = 0;
    for (DataFolderKind kind : kKinds) {
        addRow(kind, grid, row);
        row += 2;
    }
    layout->addLayout(grid);
    auto* note = new QLabel(tr("Changes apply to the next run. identitylab-cli reads only the environment variables."));
    note->setWordWrap(true);
    layout->addWidget(note);
    buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons_, &QDialogButtonBox::accepted, this, &PreferencesDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &PreferencesDialog::reject);
    layout->addWidget(buttons_);
    for (DataFolderKind kind : kKinds) updateStatus(kind);
    updateOk();
    resize(720, sizeHint().height());
}

void PreferencesDialog::addRow(DataFolderKind kind, QGridLayout* grid, int row)
{
    Row& r = rows_[index(kind)];
    const QString env = dataFolderFromEnvironment(kind);
    r.fromEnvironment = !env.isEmpty();
    r.edit = new QLineEdit(r.fromEnvironment ? env : preferredDataFolder(kind));
    r.edit->setObjectName(objectNameOf(kind) + QStringLiteral("Folder"));
    r.edit->setPlaceholderText(tr("(empty: %1)").arg(defaultDataFolderText(kind)));
    r.edit->setClearButtonEnabled(true);
    r.edit->setReadOnly(r.fromEnvironment);
    auto* label = new QLabel(dataFolderDisplayName(kind) + QLatin1Char(':'));
    label->setBuddy(r.edit);
    auto* browse = new QPushButton(tr("Browse..."));
    browse->setObjectName(objectNameOf(kind) + QStringLiteral("Browse"));
    browse->setEnabled(!r.fromEnvironment);
    r.status = new QLabel;
    r.status->setObjectName(objectNameOf(kind) + QStringLiteral("Status"));
    r.status->setWordWrap(true);
    r.status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    grid->addWidget(label, row, 0);
    grid->addWidget(r.edit, row, 1);
    grid->addWidget(browse, row, 2);
    grid->addWidget(r.status, row + 1, 1, 1, 2);
    connect(r.edit, &QLineEdit::textChanged, this, [this, kind] {
        updateStatus(kind);
        updateOk();
    });
    connect(browse, &QPushButton::clicked, this, [this, kind] {
        QLineEdit* edit = folderEdit(kind);
        const QString start = edit->text().isEmpty() ? QDir::homePath() : edit->text();
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder of %1").arg(dataFolderDisplayName(kind)), start);
        if (!dir.isEmpty()) edit->setText(dir);
    });
}

DataFolderCheck PreferencesDialog::check(DataFolderKind kind) const
{
    const QString folder = folderEdit(kind)->text().trimmed();
    // An empty Fashion-MNIST setting means Debian's folder: check that one.
    if (folder.isEmpty() && kind == DataFolderKind::Fashion) {
        DataFolderCheck c = checkDataFolder(kind, QString::fromLatin1(il::kDebianFashionMnistDir));
        if (!QFileInfo(c.folder).isDir())
            c.summary = tr("%1 does not exist: install Debian's dataset-fashion-mnist package, or choose a folder.").arg(c.folder);
        return c;
    }
    return checkDataFolder(kind, folder);
}

void PreferencesDialog::updateStatus(DataFolderKind kind)
{
    const Row& r = rows_[index(kind)];
    const DataFolderCheck c = check(kind);
    const bool empty = r.edit->text().trimmed().isEmpty();
    QString text = c.summary;
    if (c.ok && c.folder != r.edit->text().trimmed() && !empty) text += QLatin1Char(' ') + tr("(in %1)").arg(c.folder);
    if (r.fromEnvironment)
        text = tr("Set by %1 (it wins over the preferences). ").arg(QString::fromLatin1(dataFolderEnvironmentVariable(kind))) + text;
    // Green: usable; red: a folder was given and it is not usable; plain: the default.
    const bool neutral = empty && kind != DataFolderKind::Fashion;
    r.status->setStyleSheet(neutral ? QString() : c.ok ? QStringLiteral("color: #2e7d32;") : QStringLiteral("color: #c62828;"));
    r.status->setText(text);
    r.status->setProperty("ok", c.ok);
}

void PreferencesDialog::updateOk()
{
    // A folder that is given but unusable is refused; the defaults (empty) are always fine.
    bool ok = true;
    for (DataFolderKind kind : kKinds) {
        const Row& r = rows_[index(kind)];
        if (!r.fromEnvironment && !r.edit->text().trimmed().isEmpty() && !check(kind).ok) ok = false;
    }
    okButton()->setEnabled(ok);
}

QPushButton* PreferencesDialog::okButton() const { return buttons_->button(QDialogButtonBox::Ok); }

void PreferencesDialog::accept()
{
    for (DataFolderKind kind : kKinds) {
        const Row& r = rows_[index(kind)];
        if (!r.fromEnvironment) setPreferredDataFolder(kind, r.edit->text());
    }
    QDialog::accept();
}

}  // namespace il::ui
