#pragma once

#include <QMainWindow>

class ChartPanel;
class EventLogModel;
class LogPane;
class QLabel;
class QTimer;
class SeriesBuffer;
class SourceListModel;
class SourcesPanel;
class TransportRegistry;
struct TransportConfig;

/// The main window: sources on the left, the live chart above the log pane on the right.
/// Owns the models; the SourceListModel owns the transports. Events flow
/// SourceListModel::eventsReceived → EventLogModel::append and SeriesBuffer::append.
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

    SourceListModel *sourceModel() const { return m_sources; }
    EventLogModel *logModel() const { return m_log; }
    SeriesBuffer *seriesBuffer() const { return m_series; }

private:
    void buildMenus();
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
};
