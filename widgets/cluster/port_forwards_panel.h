#pragma once

#include <QWidget>

class PortForwardListModel;
class QLabel;
class QTableView;
class QToolButton;

/// The "Port forwards" panel: every active forward (PortForwardListModel) with its connections
/// and bytes, and Stop / Copy address / Open in browser for the selected one. The model belongs
/// to whoever made it (the TerminalController); the panel only shows it.
class PortForwardsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit PortForwardsPanel(PortForwardListModel *model, QWidget *parent = nullptr);
    ~PortForwardsPanel() override;

    QTableView *table() const { return m_table; }
    QString summaryText() const;

private:
    QWidget *buildToolbar();
    void updateSummary();
    int currentRow() const;
    void stopSelected();
    void copySelected();
    void openSelected();

    PortForwardListModel *m_model;
    QTableView *m_table = nullptr;
    QLabel *m_summary = nullptr;
    QToolButton *m_stop = nullptr;
};
