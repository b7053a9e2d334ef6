#pragma once

#include <QKeySequence>
#include <QMainWindow>

class ChartPanel;
class EventLogModel;
class LogPane;
class QDialog;
class QLabel;
class QSplitter;
class QTimer;
class SeriesBuffer;
class SourceListModel;
class SourcesPanel;
class TransportRegistry;
struct TransportConfig;

/// The main window: sources on the left, the live chart above the log pane on the right.
/// Owns the models; the SourceListModel owns the transports. Events flow
/// SourceListModel::eventsReceived → EventLogModel::append and SeriesBuffer::append.
///
/// Keyboard: Tab moves pane by pane — source URL → sources table → send bar → log filter → log
/// → chart — and no table keeps Tab for its cells. Help → Keyboard shortcuts (F1) lists every
/// QAction of the window that has a shortcut, collected when the dialog opens, so actions the
/// panes add later show up by themselves. Usable from 800x500 up.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(const TransportRegistry *registry, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Opens each source; returns how many could be added (errors are shown in the sources panel).
    int addSources(const QList<TransportConfig> &configs);
    /// Shown in the status bar, e.g. "demo server on http://127.0.0.1:40123".
    void setServerNote(const QString &note);
    /// Renders the window into a PNG. Returns false with *error set if the file cannot be written.
    bool saveScreenshot(const QString &path, QString *error = nullptr);

    /// One row of the shortcuts list.
    struct ShortcutEntry
    {
        QKeySequence keys;
        QString action; ///< the action's text without mnemonics and ellipsis
        QString where;  ///< "Sources", "Log", "Chart", "Window", "File menu"; "…, in the sources table" for widget-only keys
        bool windowWide = true; ///< false when the key works only while its widget has focus
    };
    /// Every QAction of the window with a shortcut (one entry per key sequence), sorted by place.
    QList<ShortcutEntry> shortcutEntries() const;
    /// Key sequences that more than one window-wide action uses (Qt then triggers none of them).
    QList<QKeySequence> conflictingShortcuts() const;
    /// Opens Help → Keyboard shortcuts (non-modal; deleted when closed) and returns it.
    QDialog *showShortcuts();

    SourceListModel *sourceModel() const { return m_sources; }
    SourcesPanel *sourcesPanel() const { return m_sourcesPanel; }
    LogPane *logPane() const { return m_logPane; }
    ChartPanel *chartPanel() const { return m_chartPanel; }
    EventLogModel *logModel() const { return m_log; }
    SeriesBuffer *seriesBuffer() const { return m_series; }

private:
    void buildPanes();
    /// Side by side (sources | chart over log) when `width` allows, else sources | chart over a
    /// full-width log.
    void updatePaneLayout(int width);
    void buildMenus();
    void buildSourcesMenu();
    void setupFocusChain();
    QString placeOf(const QAction *action, bool *windowWide) const;
    void updateStatus();
    void saveScreenshotInteractively();

    SourceListModel *m_sources;
    EventLogModel *m_log;
    SeriesBuffer *m_series;
    SourcesPanel *m_sourcesPanel = nullptr;
    ChartPanel *m_chartPanel = nullptr;
    LogPane *m_logPane = nullptr;
    QLabel *m_statusLabel = nullptr;
    QLabel *m_serverLabel = nullptr;
    QTimer *m_statusTimer = nullptr;
    QSplitter *m_outerSplit = nullptr; ///< vertical: the main split, and the log when narrow
    QSplitter *m_mainSplit = nullptr;  ///< horizontal: sources | right
    QSplitter *m_rightSplit = nullptr; ///< vertical: chart, and the log when wide
    bool m_narrowLayout = false;
};
