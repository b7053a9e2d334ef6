#pragma once

#include "transport_config.h"

#include <QWidget>

class QAction;
class QComboBox;
class QGridLayout;
class QLineEdit;
class QPushButton;
class QScrollArea;
class QSplitter;
class QTableView;
class QToolButton;
class SendBar;
class SourceDetails;
class SourceEditDialog;
class SourceListModel;
class SourceOptionsForm;
class StatusLine;
class TransportRegistry;

/// Add bar, source table, details and send bar over a SourceListModel.
///
/// - Add bar: URL, transport (auto / sse / lines / ndjson / websocket, those the registry has),
///   Add, and an Options expander (SourceOptionsForm: headers with secret marks, POST body,
///   insecure TLS, timeouts, stall detection, WebSocket close codes). Options belong to one add:
///   a successful add clears them, and the button says what is set ("Options (2 headers, body)").
///   Input problems and confirmations show in a one-line StatusLine under the bar, never a dialog,
///   and never move the table. In a small panel (800x500 windows) the options open in a dialog
///   ("Options for the next source") instead of squeezing the table.
/// - Table: one row per source. Tab leaves the table (no cell-by-cell Tab). Actions on the
///   selected rows, as buttons, context menu and shortcuts: Edit… (Ctrl+E or double click: a
///   SourceEditDialog; the source reconnects with the new settings), Rename (F2 in the table),
///   Reconnect (Ctrl+R), Pause/Resume (Ctrl+Shift+P), Remove (Delete in the table).
/// - Details (SourceDetails) of the current source under the table.
/// - Send bar (SendBar): messages to the selected duplex source, errors inline under it.
class SourcesPanel : public QWidget
{
    Q_OBJECT
public:
    /// `model` and `registry` must outlive the panel.
    SourcesPanel(SourceListModel *model, const TransportRegistry *registry, QWidget *parent = nullptr);
    ~SourcesPanel() override;

    QTableView *view() const { return m_view; }
    /// The details box under the table (shows the current source).
    SourceDetails *details() const { return m_details; }
    QLineEdit *urlEdit() const { return m_urlEdit; }
    SendBar *sendBar() const { return m_sendBar; }
    SourceOptionsForm *optionsForm() const { return m_options; }
    /// The add bar's message (an error, or the confirmation of the last add); empty for the hint.
    QString errorText() const;
    /// The send bar's error; empty when none.
    QString sendErrorText() const;
    /// The Options button's text: "Options", or "Options (2 headers, body)" when something is set.
    QString optionsButtonText() const;
    /// Builds the config from the add bar; false with *error for bad input (URL, headers, codes).
    bool buildConfig(TransportConfig *config, QString *error) const;

    /// The actions on the selected sources, in menu order (Edit, Rename, Reconnect, Pause, Remove).
    QList<QAction *> sourceActions() const;
    QAction *editAction() const { return m_editAction; }
    QAction *renameAction() const { return m_renameAction; }
    QAction *reconnectAction() const { return m_reconnectAction; }
    QAction *pauseAction() const { return m_pauseAction; }
    QAction *removeAction() const { return m_removeAction; }
    /// Opens the edit dialog for `row` (window-modal, deleted when closed) and returns it.
    SourceEditDialog *editSource(int row);

    /// Below this width the add bar takes two rows (URL alone on the first).
    static constexpr int CompactWidth = 440;
    /// Below this size the Options open in a dialog instead of under the add bar.
    static constexpr int InlineOptionsWidth = 440;
    static constexpr int InlineOptionsHeight = 480;

Q_SIGNALS:
    void sourceAdded(const QString &sourceId);

protected:
    void resizeEvent(QResizeEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void buildAddBar();
    void buildTable();
    void fitColumns();
    void buildActions();
    QWidget *actionBar();
    void buildLayout();
    void connectSignals();
    /// One row for the add bar, or two in a narrow panel.
    void arrangeAddBar();
    /// Which optional columns fit the table (narrow windows hide transport, last event, rate and
    /// retry, in that order; the details box shows them).
    void fitOptionalColumns();

    void addFromInputs();
    void editCurrent();
    void renameCurrent();
    void reconnectSelected();
    void togglePauseSelected();
    void removeSelected();
    void sendToCurrent(const QByteArray &payload, bool binary);
    void updateActions();
    void updateOptionsButton();
    void showOptions(bool open);
    /// True when the options have room under the add bar; else they open in a dialog.
    bool optionsFitInline() const;
    void openOptionsDialog();
    void showAddError(const QString &message);
    QList<int> selectedRows() const;
    /// The single selected row, or the current row when nothing is selected; -1 otherwise.
    int currentRow() const;

    SourceListModel *m_model;
    const TransportRegistry *m_registry;
    QLineEdit *m_urlEdit;
    QComboBox *m_transportBox;
    QPushButton *m_addButton;
    QToolButton *m_optionsButton;
    SourceOptionsForm *m_options;
    QScrollArea *m_optionsArea;
    StatusLine *m_addStatus;
    QTableView *m_view;
    SourceDetails *m_details;
    QSplitter *m_split;
    QGridLayout *m_addBar = nullptr;
    bool m_compact = false;
    QList<int> m_columnWidths; ///< per column, as fitColumns() set them (hidden sections report 0)
    SendBar *m_sendBar;
    QAction *m_editAction;
    QAction *m_renameAction;
    QAction *m_reconnectAction;
    QAction *m_pauseAction;
    QAction *m_removeAction;
};
