#pragma once
// The data folders a user can set: full MNIST, Fashion-MNIST and CIFAR-10. Each comes from its
// environment variable when that is set (it wins), else from the preferences (QSettings, edited
// in the Preferences dialog), else the default: the shipped MNIST subset, Debian's
// dataset-fashion-mnist folder, no CIFAR-10. checkDataFolder() says whether a folder holds the
// files the engine's readers expect (engine/data/dataset.cpp, cifar_reader.cpp), and which are
// missing, without loading them.

#include <QString>
#include <QStringList>

#include "engine/data/dataset.h"

namespace il::ui {

enum class DataFolderKind { Mnist, Fashion, Cifar };

struct DataFolderCheck {
    bool ok = false;
    QString folder;       // where the files were looked for (CIFAR-10: maybe cifar-10-batches-bin/)
    QStringList missing;  // expected files that are not there
    QStringList damaged;  // present, but empty or of an impossible size, with the reason
    QString summary;      // one line for people
};

// The files a folder of this kind must hold, by their standard names.
QStringList expectedDataFiles(DataFolderKind kind);
DataFolderCheck checkDataFolder(DataFolderKind kind, const QString& folder);

const char* dataFolderEnvironmentVariable(DataFolderKind kind);  // "IDENTITYLAB_MNIST_DIR", ...
QString dataFolderDisplayName(DataFolderKind kind);              // "MNIST (full)", ...
// The environment variable's value, empty when it is not set.
QString dataFolderFromEnvironment(DataFolderKind kind);
// The folder saved in the preferences, empty when none is.
QString preferredDataFolder(DataFolderKind kind);
// Saves `folder` in the preferences; an empty one removes the entry (back to the default).
void setPreferredDataFolder(DataFolderKind kind, const QString& folder);
// What an empty setting means ("the 2,000 digits shipped with IdentityLab", ...).
QString defaultDataFolderText(DataFolderKind kind);

// DataLocations::fromEnvironment(), with the preferences for the folders no variable sets.
il::DataLocations dataLocationsWithPreferences();

}  // namespace il::ui
