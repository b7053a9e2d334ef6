// createReplayWidget (declared in render_terminal.h): the window's replay terminal tab.
#include "render_terminal.h"

#include "recording_controls.h"
#include "recording_player.h"
#include "terminal_tab.h"

QWidget *createReplayWidget(const QString &path, QString *error, QWidget *parent)
{
    auto *player = new RecordingPlayer(path);
    if (!player->load(error)) {
        delete player;
        return nullptr;
    }
    auto *tab = new TerminalTab(player, parent); // owns the player
    tab->setControls(new RecordingControls(player));
    tab->start();
    return tab;
}
