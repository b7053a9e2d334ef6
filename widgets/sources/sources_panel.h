#pragma once

#include "transport_config.h"

#include <QWidget>

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QToolButton;
class SourceDetails;
class SourceListModel;
class TransportRegistry;

/// Add bar, source table and send bar over a SourceListModel.
///
/// - Add bar: URL, transport (auto / sse / lines / ndjson / websocket, those the registry has),
///   Add; an Options expander with request headers ("Name: value" per line), a POST body and
///   "Skip TLS verification (insecure)". Input problems show in an inline label, never a dialog.
/// - Table: one row per source; Reconnect and Remove act on the selected rows (buttons and
///   context menu, enabled only with a selection).
/// - Details (SourceDetails) of the current source under the table: the full error and more.
/// - Send bar: text or hex bytes to the selected source, enabled when it is duplex.
class SourcesPanel : public QWidget
{
    Q_OBJECT
public:
    /// `model` and `registry` must outlive the panel.
    SourcesPanel(SourceListModel *model, const TransportRegistry *registry, QWidget *parent = nullptr);
    ~SourcesPanel() override;

    QTableView *view() const { return m_view; }
    /// The inline message of the add/send bars (empty when there is nothing to report).
    QString errorText() const;
    /// Builds the config from the add bar; false with *error for bad input (URL, header lines).
    bool buildConfig(TransportConfig *config, QString *error) const;

Q_SIGNALS:
    void sourceAdded(const QString &sourceId);

private:
    void addFromInputs();
    void reconnectSelected();
    void removeSelected();
    void sendCurrent(bool binary);
    void updateActions();
    void showError(const QString &message);
    QList<int> selectedRows() const;
    int currentRow() const;

    SourceListModel *m_model;
    const TransportRegistry *m_registry;
    QLineEdit *m_urlEdit;
    QComboBox *m_transportBox;
    QPushButton *m_addButton;
    QToolButton *m_optionsButton;
    QWidget *m_optionsBox;
    SourceDetails *m_details;
    QPlainTextEdit *m_headersEdit;
    QPlainTextEdit *m_bodyEdit;
    QCheckBox *m_insecureBox;
    QLabel *m_errorLabel;
    QTableView *m_view;
    QAction *m_reconnectAction;
    QAction *m_removeAction;
    QLineEdit *m_sendEdit;
    QPushButton *m_sendTextButton;
    QPushButton *m_sendBinaryButton;
};
