#include "port_forwards_panel.h"

#include "port_forward_list_model.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QTableView>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

PortForwardsPanel::PortForwardsPanel(PortForwardListModel *model, QWidget *parent) : QWidget(parent), m_model(model)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(buildToolbar());
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("portForwardsTable"));
    m_table->setModel(model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(PortForwardListModel::LocalColumn, 130);
    m_table->setColumnWidth(PortForwardListModel::TargetColumn, 220);
    m_table->setColumnWidth(PortForwardListModel::ConnectionsColumn, 130);
    layout->addWidget(m_table);
    connect(model, &QAbstractItemModel::rowsInserted, this, &PortForwardsPanel::updateSummary);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &PortForwardsPanel::updateSummary);
    connect(model, &QAbstractItemModel::dataChanged, this, &PortForwardsPanel::updateSummary);
    connect(m_table, &QTableView::doubleClicked, this, &PortForwardsPanel::openSelected);
    updateSummary();
}

PortForwardsPanel::~PortForwardsPanel() = default;

QWidget *PortForwardsPanel::buildToolbar()
{
    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    m_summary = new QLabel(bar);
    m_summary->setObjectName(QStringLiteral("portForwardsSummary"));
    row->addWidget(m_summary, 1);
    auto button = [&](const QString &text, const QString &tip, void (PortForwardsPanel::*slot)()) {
        auto *b = new QToolButton(bar);
        b->setText(text);
        b->setToolTip(tip);
        connect(b, &QToolButton::clicked, this, slot);
        row->addWidget(b);
        return b;
    };
    button(tr("Open"), tr("Open http://127.0.0.1:PORT in the browser"), &PortForwardsPanel::openSelected);
    button(tr("Copy address"), tr("Copy 127.0.0.1:PORT"), &PortForwardsPanel::copySelected);
    m_stop = button(tr("Stop"), tr("Stop forwarding this port (closes its connections)"), &PortForwardsPanel::stopSelected);
    return bar;
}

QString PortForwardsPanel::summaryText() const
{
    return m_summary->text();
}

void PortForwardsPanel::updateSummary()
{
    int active = 0;
    for (int row = 0; row < m_model->rowCount(); ++row)
        active += m_model->index(row, 0).data(PortForwardListModel::ActiveRole).toInt();
    m_summary->setText(m_model->rowCount() == 0
                           ? tr("No port forwards. Start one with \"Port forward…\" on a pod or service.")
                           : tr("%n port(s) forwarded, ", nullptr, m_model->rowCount()) +
                                 tr("%n connection(s) open", nullptr, active));
}

int PortForwardsPanel::currentRow() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (!rows.isEmpty())
        return rows.first().row();
    return m_model->rowCount() == 1 ? 0 : -1;
}

void PortForwardsPanel::stopSelected()
{
    m_model->stop(currentRow());
}

void PortForwardsPanel::copySelected()
{
    const int row = currentRow();
    if (row >= 0)
        QApplication::clipboard()->setText(m_model->index(row, PortForwardListModel::LocalColumn).data().toString());
}

void PortForwardsPanel::openSelected()
{
    const int row = currentRow();
    if (row >= 0)
        QDesktopServices::openUrl(QUrl(QStringLiteral("http://") +
                                       m_model->index(row, PortForwardListModel::LocalColumn).data().toString() + u'/'));
}
