#include "sources_panel.h"

#include "header_table.h"
#include "send_bar.h"
#include "source_details.h"
#include "source_edit_dialog.h"
#include "source_input.h"
#include "source_options_form.h"
#include "status_line.h"

#include "source_list_model.h"
#include "source_name.h"
#include "transport.h"

#include <QAction>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QPushButton>
#include <QResizeEvent>
#include <QScrollArea>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QScrollBar>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

Q_LOGGING_CATEGORY(lcSourcesPanel, "dash.widgets.sources", QtInfoMsg)

namespace {

constexpr int MaxSummaryParts = 2;
constexpr int CellPadding = 8; // PM_HeaderMargin (4) on both sides; cells need less

/// A column-specific elide mode (QTableView has one for the whole view).
class ElideDelegate : public QStyledItemDelegate
{
public:
    ElideDelegate(Qt::TextElideMode mode, QObject *parent)
        : QStyledItemDelegate(parent)
        , m_mode(mode)
    {
    }

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        option->textElideMode = m_mode;
    }

private:
    Qt::TextElideMode m_mode;
};

QAction *makeAction(const QString &text, const QString &tip, const QKeySequence &keys,
                    Qt::ShortcutContext context, QObject *parent)
{
    auto *action = new QAction(text, parent);
    action->setToolTip(keys.isEmpty() ? tip : QStringLiteral("%1 (%2)").arg(tip, keys.toString(QKeySequence::NativeText)));
    action->setShortcut(keys);
    action->setShortcutContext(context);
    return action;
}

} // namespace

SourcesPanel::SourcesPanel(SourceListModel *model, const TransportRegistry *registry, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_registry(registry)
    , m_urlEdit(new QLineEdit(this))
    , m_transportBox(new QComboBox(this))
    , m_addButton(new QPushButton(tr("Add"), this))
    , m_optionsButton(new QToolButton(this))
    , m_options(new SourceOptionsForm(this))
    , m_optionsArea(new QScrollArea(this))
    , m_addStatus(new StatusLine(this))
    , m_view(new QTableView(this))
    , m_details(new SourceDetails(model, this))
    , m_split(new QSplitter(Qt::Vertical, this))
    , m_sendBar(new SendBar(this))
    , m_editAction(nullptr)
    , m_renameAction(nullptr)
    , m_reconnectAction(nullptr)
    , m_pauseAction(nullptr)
    , m_removeAction(nullptr)
{
    buildAddBar();
    buildTable();
    buildActions();
    buildLayout();
    connectSignals();
    setFocusProxy(m_urlEdit);
    updateOptionsButton();
    updateActions();
}

SourcesPanel::~SourcesPanel() = default;

void SourcesPanel::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    arrangeAddBar();
}

bool SourcesPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        fitOptionalColumns();
    return QWidget::eventFilter(watched, event);
}

void SourcesPanel::arrangeAddBar()
{
    const bool compact = width() < CompactWidth;
    if (compact != m_compact) {
        m_compact = compact;
        for (QWidget *w : {static_cast<QWidget *>(m_urlEdit), static_cast<QWidget *>(m_transportBox),
                           static_cast<QWidget *>(m_addButton), static_cast<QWidget *>(m_optionsButton)})
            m_addBar->removeWidget(w);
        if (compact) {
            m_addBar->addWidget(m_urlEdit, 0, 0, 1, 4);
            m_addBar->addWidget(m_transportBox, 1, 0);
            m_addBar->addWidget(m_addButton, 1, 1);
            m_addBar->addWidget(m_optionsButton, 1, 2);
            m_addBar->setColumnStretch(0, 0);
            m_addBar->setColumnStretch(3, 1);
        } else {
            m_addBar->addWidget(m_urlEdit, 0, 0);
            m_addBar->addWidget(m_transportBox, 0, 1);
            m_addBar->addWidget(m_addButton, 0, 2);
            m_addBar->addWidget(m_optionsButton, 0, 3);
            m_addBar->setColumnStretch(0, 1);
            m_addBar->setColumnStretch(3, 0);
        }
    }
}

void SourcesPanel::fitOptionalColumns()
{
    if (m_columnWidths.isEmpty())
        return;
    // The optional columns, least useful first; the source, state and error always stay.
    static constexpr SourceListModel::Column Optional[] = {SourceListModel::TransportColumn,
                                                          SourceListModel::LastEventColumn,
                                                          SourceListModel::RateColumn,
                                                          SourceListModel::RetryColumn};
    QHeaderView *header = m_view->horizontalHeader();
    const int available = m_view->viewport()->width();
    int needed = header->sectionSize(SourceListModel::NameColumn) + m_columnWidths.value(SourceListModel::StateColumn)
        + header->minimumSectionSize(); // the error column keeps at least that
    for (const SourceListModel::Column column : Optional)
        needed += m_columnWidths.value(column);
    for (const SourceListModel::Column column : Optional) {
        const bool hide = needed > available;
        if (header->isSectionHidden(column) != hide) {
            header->setSectionHidden(column, hide);
            if (!hide)
                header->resizeSection(column, m_columnWidths.value(column));
        }
        if (hide)
            needed -= m_columnWidths.value(column);
    }
}

void SourcesPanel::buildAddBar()
{
    m_urlEdit->setObjectName(QStringLiteral("urlEdit"));
    m_urlEdit->setAccessibleName(tr("Source URL"));
    m_urlEdit->setPlaceholderText(tr("http://\u2026 or ws://\u2026 \u2014 Enter to add"));
    m_urlEdit->setClearButtonEnabled(true);
    m_transportBox->setObjectName(QStringLiteral("transportBox"));
    m_transportBox->setAccessibleName(tr("Transport"));
    SourceInput::fillTransportBox(m_transportBox, m_registry);
    m_addButton->setDefault(false);
    m_addButton->setAutoDefault(false);
    m_addButton->setFocusPolicy(Qt::NoFocus); // Enter in the URL field adds
    m_optionsButton->setObjectName(QStringLiteral("optionsButton"));
    m_optionsButton->setCheckable(true);
    m_optionsButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_optionsButton->setArrowType(Qt::RightArrow);
    m_optionsButton->setFocusPolicy(Qt::TabFocus);

    m_optionsArea->setObjectName(QStringLiteral("optionsArea"));
    m_optionsArea->setWidget(m_options);
    m_optionsArea->setWidgetResizable(true);
    m_optionsArea->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_optionsArea->setFrameShape(QFrame::NoFrame);
    m_optionsArea->setFocusPolicy(Qt::NoFocus);
    m_optionsArea->setVisible(false);

    m_addStatus->setObjectName(QStringLiteral("addStatus"));
    m_addStatus->setHint(tr("Enter adds the URL \u00B7 Options: headers, body, timeouts \u00B7 "
                            "F2 renames, double click edits a source"));
}

void SourcesPanel::buildTable()
{
    m_view->setObjectName(QStringLiteral("sourcesTable"));
    m_view->setAccessibleName(tr("Sources"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setTabKeyNavigation(false); // Tab moves to the next pane, never cell by cell
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers); // F2 (Rename) edits the name
    m_view->setWordWrap(false);
    m_view->setShowGrid(false);
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->setMinimumHeight(fontMetrics().height() * 4);
    QHeaderView *vertical = m_view->verticalHeader();
    vertical->setSectionResizeMode(QHeaderView::Fixed);
    vertical->setDefaultSectionSize(fontMetrics().height() + 6);
    vertical->hide();
    // Errors read from their start ("connection refused", "HTTP 404 …"); the details below show
    // them whole. Source names lose their start first: sources usually share the host, and the end
    // of the path (and the label that tells equal-looking URLs apart) distinguishes them.
    m_view->setItemDelegateForColumn(SourceListModel::ErrorColumn, new ElideDelegate(Qt::ElideRight, m_view));
    m_view->setItemDelegateForColumn(SourceListModel::TransportColumn, new ElideDelegate(Qt::ElideRight, m_view));
    m_view->setItemDelegateForColumn(SourceListModel::NameColumn, new ElideDelegate(Qt::ElideLeft, m_view));
    fitColumns();
    m_view->viewport()->installEventFilter(this);
}

void SourcesPanel::fitColumns()
{
    QHeaderView *horizontal = m_view->horizontalHeader();
    horizontal->setSectionResizeMode(QHeaderView::Interactive);
    horizontal->setHighlightSections(false);
    // Everything a user scans for fits in a 500 px panel: the short columns are Fixed at the
    // width of their header or longest value, the source name (elided at the start, full URL in
    // the tooltip) is narrow but resizable, the error takes the rest, and the transport comes
    // last, elided at the right ("sse · HTTP/…"; the tooltip and the details box show it whole).
    horizontal->setStretchLastSection(false);
    horizontal->moveSection(horizontal->visualIndex(SourceListModel::TransportColumn), SourceListModel::ColumnCount - 1);
    horizontal->setSectionResizeMode(SourceListModel::ErrorColumn, QHeaderView::Stretch);
    horizontal->setMinimumSectionSize(fontMetrics().horizontalAdvance(QStringLiteral("Retry")) + CellPadding);
    auto fit = [this, horizontal](int column, const QString &longest) {
        const QString title = m_model->headerData(column, Qt::Horizontal).toString();
        const int text = std::max(fontMetrics().horizontalAdvance(longest), fontMetrics().horizontalAdvance(title));
        horizontal->setSectionResizeMode(column, QHeaderView::Fixed);
        horizontal->resizeSection(column, text + CellPadding);
    };
    fit(SourceListModel::StateColumn, QStringLiteral("\u25CF reconnecting")); // the dot is a decoration
    fit(SourceListModel::RateColumn, QStringLiteral("1234"));
    fit(SourceListModel::LastEventColumn, tr("%1 s ago").arg(9.9, 0, 'f', 1));
    fit(SourceListModel::RetryColumn, tr("in %1 s").arg(30.0, 0, 'f', 1));
    fit(SourceListModel::TransportColumn, QStringLiteral("websocket"));
    horizontal->resizeSection(SourceListModel::NameColumn,
                              fontMetrics().horizontalAdvance(QStringLiteral("\u2026/ndjson/logs")) + CellPadding);
    m_columnWidths.clear();
    for (int column = 0; column < SourceListModel::ColumnCount; ++column)
        m_columnWidths.append(horizontal->sectionSize(column));
}

void SourcesPanel::buildActions()
{
    m_editAction = makeAction(tr("Edit\u2026"), tr("Edit the settings of the selected source; it reconnects with them"),
                              QKeySequence(Qt::CTRL | Qt::Key_E), Qt::WindowShortcut, this);
    m_renameAction = makeAction(tr("Rename"), tr("Rename the selected source"),
                                QKeySequence(Qt::Key_F2), Qt::WidgetShortcut, this);
    m_reconnectAction = makeAction(tr("Reconnect"), tr("Connect the selected sources again now"),
                                   QKeySequence(Qt::CTRL | Qt::Key_R), Qt::WindowShortcut, this);
    m_pauseAction = makeAction(tr("Pause"), tr("Hold the events of the selected sources (they stay connected), or let them through again"),
                               QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P), Qt::WindowShortcut, this);
    m_removeAction = makeAction(tr("Remove"), tr("Close and remove the selected sources"),
                                QKeySequence(QKeySequence::Delete), Qt::WidgetShortcut, this);
    m_editAction->setObjectName(QStringLiteral("editSourceAction"));
    m_renameAction->setObjectName(QStringLiteral("renameSourceAction"));
    m_reconnectAction->setObjectName(QStringLiteral("reconnectSourceAction"));
    m_pauseAction->setObjectName(QStringLiteral("pauseSourceAction"));
    m_removeAction->setObjectName(QStringLiteral("removeSourceAction"));
    // Window-wide shortcuts belong to the panel; table-only ones (F2, Delete) to the table.
    addAction(m_editAction);
    addAction(m_reconnectAction);
    addAction(m_pauseAction);
    for (QAction *action : sourceActions())
        m_view->addAction(action);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
}

QList<QAction *> SourcesPanel::sourceActions() const
{
    return {m_editAction, m_renameAction, m_reconnectAction, m_pauseAction, m_removeAction};
}

QWidget *SourcesPanel::actionBar()
{
    auto *bar = new QWidget(this);
    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    for (QAction *action : {m_editAction, m_reconnectAction, m_pauseAction, m_removeAction}) {
        auto *button = new QToolButton(bar);
        button->setDefaultAction(action);
        button->setFocusPolicy(Qt::NoFocus); // like a tool bar: the actions have shortcuts
        button->setAutoRaise(true);
        layout->addWidget(button);
    }
    layout->addStretch(1);
    return bar;
}

void SourcesPanel::buildLayout()
{
    m_addBar = new QGridLayout;
    m_addBar->setContentsMargins(0, 0, 0, 0);
    m_addBar->setHorizontalSpacing(4);
    m_addBar->setVerticalSpacing(2);
    m_addBar->addWidget(m_urlEdit, 0, 0);
    m_addBar->addWidget(m_transportBox, 0, 1);
    m_addBar->addWidget(m_addButton, 0, 2);
    m_addBar->addWidget(m_optionsButton, 0, 3);
    m_addBar->setColumnStretch(0, 1);

    auto *tableBox = new QWidget(this);
    auto *tableLayout = new QVBoxLayout(tableBox);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->setSpacing(2);
    tableLayout->addWidget(actionBar());
    tableLayout->addWidget(m_view, 1);

    // Options, table and details share one splitter: opening the options at 800x500 squeezes
    // the details first and never pushes the send bar out of the window.
    m_split->addWidget(m_optionsArea);
    m_split->addWidget(tableBox);
    m_split->addWidget(m_details);
    m_split->setStretchFactor(0, 0);
    m_split->setStretchFactor(1, 1);
    m_split->setStretchFactor(2, 1);
    m_split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(m_addBar);
    layout->addWidget(m_addStatus);
    layout->addWidget(m_split, 1);
    layout->addWidget(m_sendBar);

    // URL → transport → Options (→ the options when open) → table → send bar. Buttons whose
    // action has a key (Add: Enter; Edit, Reconnect, Pause, Remove) are no Tab stops.
    QList<QWidget *> chain = {m_urlEdit, m_transportBox, m_optionsButton};
    for (QWidget *w = m_options->nextInFocusChain(); w && w != m_options; w = w->nextInFocusChain()) {
        if (!m_options->isAncestorOf(w))
            break;
        if ((w->focusPolicy() & Qt::TabFocus) && !w->focusProxy())
            chain.append(w);
    }
    chain.append({m_view, m_sendBar->editor()});
    for (qsizetype i = 0; i + 1 < chain.size(); ++i)
        setTabOrder(chain.at(i), chain.at(i + 1));
}

void SourcesPanel::connectSignals()
{
    connect(m_urlEdit, &QLineEdit::returnPressed, this, &SourcesPanel::addFromInputs);
    connect(m_addButton, &QPushButton::clicked, this, &SourcesPanel::addFromInputs);
    connect(m_urlEdit, &QLineEdit::textEdited, this, [this] {
        if (m_addStatus->kind() != StatusLine::Kind::Hint)
            m_addStatus->clearMessage();
    });
    connect(m_urlEdit, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_options->setScheme(QUrl(text.trimmed()).scheme().toLower());
    });
    connect(m_optionsButton, &QToolButton::toggled, this, &SourcesPanel::showOptions);
    connect(m_options, &SourceOptionsForm::changed, this, &SourcesPanel::updateOptionsButton);
    connect(m_editAction, &QAction::triggered, this, &SourcesPanel::editCurrent);
    connect(m_renameAction, &QAction::triggered, this, &SourcesPanel::renameCurrent);
    connect(m_reconnectAction, &QAction::triggered, this, &SourcesPanel::reconnectSelected);
    connect(m_pauseAction, &QAction::triggered, this, &SourcesPanel::togglePauseSelected);
    connect(m_removeAction, &QAction::triggered, this, &SourcesPanel::removeSelected);
    connect(m_view, &QAbstractItemView::doubleClicked, this, [this](const QModelIndex &index) {
        editSource(index.row());
    });
    connect(m_sendBar, &SendBar::sendRequested, this, &SourcesPanel::sendToCurrent);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &SourcesPanel::updateActions);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &SourcesPanel::updateActions);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &SourcesPanel::updateActions);
    // The details box is only useful with a current source: take the first one that arrives.
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &, int first) {
        if (!m_view->selectionModel()->currentIndex().isValid())
            m_view->selectionModel()->setCurrentIndex(m_model->index(first, 0), QItemSelectionModel::NoUpdate);
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &topLeft) {
        if (topLeft.column() == SourceListModel::NameColumn)
            updateActions(); // a row changed (state, pause, name), not the ticker
    });
    connect(m_model, &SourceListModel::renameRefused, this, [this](int, const QString &message) {
        showAddError(tr("Not renamed: %1").arg(message));
    });
}

QString SourcesPanel::errorText() const
{
    return m_addStatus->message();
}

QString SourcesPanel::sendErrorText() const
{
    return m_sendBar->errorText();
}

QString SourcesPanel::optionsButtonText() const
{
    return m_optionsButton->text();
}

void SourcesPanel::showAddError(const QString &message)
{
    m_addStatus->showMessage(message, StatusLine::Kind::Error);
}

bool SourcesPanel::optionsFitInline() const
{
    return width() >= InlineOptionsWidth && height() >= InlineOptionsHeight;
}

void SourcesPanel::openOptionsDialog()
{
    auto *dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("optionsDialog"));
    dialog->setWindowTitle(tr("Options for the next source"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto *scroll = new QScrollArea(dialog);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setWidget(m_optionsArea->takeWidget()); // the same form: what is set stays set
    m_options->show();
    auto *buttons = new QDialogButtonBox(dialog);
    QPushButton *done = buttons->addButton(tr("Done"), QDialogButtonBox::AcceptRole);
    done->setDefault(true);
    QPushButton *clear = buttons->addButton(tr("Clear"), QDialogButtonBox::ResetRole);
    connect(clear, &QPushButton::clicked, m_options, &SourceOptionsForm::reset);
    connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    auto *hint = new QLabel(tr("They apply to the next source added, then they are cleared."), dialog);
    hint->setWordWrap(true);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(hint);
    layout->addWidget(scroll, 1);
    layout->addWidget(buttons);
    connect(dialog, &QDialog::finished, this, [this, scroll] {
        m_optionsArea->setWidget(scroll->takeWidget());
        const QSignalBlocker blocker(m_optionsButton);
        m_optionsButton->setChecked(false);
        m_optionsButton->setArrowType(Qt::RightArrow);
        m_urlEdit->setFocus(Qt::OtherFocusReason);
    });
    const QSize form = m_options->sizeHint();
    const int frame = scroll->verticalScrollBar()->sizeHint().width() + 2 * layout->contentsMargins().left();
    dialog->resize(std::max(form.width() + frame, 480),
                   std::min(form.height() + hint->sizeHint().height() + buttons->sizeHint().height() + 3 * frame, 640));
    dialog->open();
    m_options->headerTable()->setFocus(Qt::TabFocusReason);
}

void SourcesPanel::showOptions(bool open)
{
    if (open && !optionsFitInline()) {
        openOptionsDialog();
        return;
    }
    m_optionsButton->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
    m_optionsArea->setVisible(open);
    if (!open)
        return;
    // Give the options what they need, at most half of the splitter; the details give way first.
    QList<int> sizes = m_split->sizes();
    const int total = std::max(1, sizes.value(0) + sizes.value(1) + sizes.value(2));
    const int wanted = std::min(m_options->sizeHint().height() + 2 * m_optionsArea->frameWidth() + 12, total / 2);
    const int table = (total - wanted) / 2;
    m_split->setSizes({wanted, table, std::max(0, total - wanted - table)});
    m_options->headerTable()->setFocus(Qt::TabFocusReason);
}

void SourcesPanel::updateOptionsButton()
{
    const QString summary = m_options->summary();
    QString text = tr("Options");
    if (!summary.isEmpty()) {
        const QStringList parts = m_options->summaryParts();
        QString shown = QStringList(parts.mid(0, MaxSummaryParts)).join(QStringLiteral(", "));
        if (parts.size() > MaxSummaryParts)
            shown += QStringLiteral(" +%1").arg(parts.size() - MaxSummaryParts);
        text += QStringLiteral(" (%1)").arg(shown);
    }
    m_optionsButton->setText(text);
    QFont font = m_optionsButton->font();
    font.setBold(!summary.isEmpty()); // set options are visible at a glance
    m_optionsButton->setFont(font);
    m_optionsButton->setToolTip(summary.isEmpty()
                                    ? tr("Headers, POST body, TLS, timeouts and stall detection for the next source")
                                    : tr("For the next source only: %1").arg(summary));
}

bool SourcesPanel::buildConfig(TransportConfig *config, QString *error) const
{
    TransportConfig out;
    out.transportId = m_transportBox->currentData().toString();
    if (!SourceInput::parseUrl(m_urlEdit->text(), out.transportId, &out.url, error))
        return false;
    if (!m_options->applyTo(&out, error))
        return false;
    *config = out;
    return true;
}

void SourcesPanel::addFromInputs()
{
    TransportConfig config;
    QString error;
    if (!buildConfig(&config, &error)) {
        showAddError(error);
        return;
    }
    const int row = m_model->addSource(config, &error);
    if (row < 0) {
        showAddError(error);
        return;
    }
    const QString sourceId = m_model->transportAt(row)->sourceId();
    qCDebug(lcSourcesPanel) << "added" << sourceId;
    // Options belong to this add: an Authorization header meant for one host must not go to the
    // next URL typed.
    const bool hadOptions = !m_options->summary().isEmpty();
    m_options->reset();
    m_urlEdit->clear();
    m_addStatus->showMessage(hadOptions ? tr("Added %1; its options were cleared for the next source")
                                              .arg(shortSourceName(sourceId))
                                        : tr("Added %1").arg(shortSourceName(sourceId)),
                             StatusLine::Kind::Info);
    m_view->selectRow(row);
    Q_EMIT sourceAdded(sourceId);
}

QList<int> SourcesPanel::selectedRows() const
{
    QList<int> rows;
    const QModelIndexList indexes = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &index : indexes)
        rows.append(index.row());
    std::sort(rows.begin(), rows.end());
    return rows;
}

int SourcesPanel::currentRow() const
{
    const QList<int> rows = selectedRows();
    if (rows.size() == 1)
        return rows.first();
    return rows.isEmpty() ? m_view->selectionModel()->currentIndex().row() : -1;
}

SourceEditDialog *SourcesPanel::editSource(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return nullptr;
    auto *dialog = new SourceEditDialog(m_model, m_registry, row, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

void SourcesPanel::editCurrent()
{
    editSource(currentRow());
}

void SourcesPanel::renameCurrent()
{
    const int row = currentRow();
    if (row < 0)
        return;
    const QModelIndex name = m_model->index(row, SourceListModel::NameColumn);
    m_view->setCurrentIndex(name);
    m_view->edit(name);
}

void SourcesPanel::reconnectSelected()
{
    QList<int> rows = selectedRows();
    if (rows.isEmpty() && currentRow() >= 0)
        rows.append(currentRow());
    for (const int row : std::as_const(rows))
        m_model->reconnectSource(row);
}

void SourcesPanel::togglePauseSelected()
{
    QList<int> rows = selectedRows();
    if (rows.isEmpty() && currentRow() >= 0)
        rows.append(currentRow());
    // One press pauses them all unless all are paused already (then it resumes them).
    const bool allPaused = !rows.isEmpty()
        && std::all_of(rows.cbegin(), rows.cend(), [this](int row) { return m_model->isPaused(row); });
    for (const int row : std::as_const(rows))
        m_model->setPaused(row, !allPaused);
    updateActions();
}

void SourcesPanel::removeSelected()
{
    const QList<int> rows = selectedRows();
    if (rows.isEmpty())
        return;
    for (auto it = rows.crbegin(); it != rows.crend(); ++it)
        m_model->removeSource(*it);
    // Keep a selection where the first removed row was, so Delete can go on.
    if (m_model->rowCount() > 0)
        m_view->selectRow(std::min(rows.first(), m_model->rowCount() - 1));
    updateActions();
}

void SourcesPanel::sendToCurrent(const QByteArray &payload, bool binary)
{
    Transport *transport = m_model->transportAt(currentRow());
    if (!transport || !transport->isDuplex()) {
        m_sendBar->showError(tr("Select one WebSocket source to send to"));
        return;
    }
    const QString name = shortSourceName(transport->sourceId());
    if (!transport->send(payload, binary)) {
        m_sendBar->showError(tr("Not sent: %1 is %2, not open").arg(name, Transport::stateName(transport->state())));
        return;
    }
    const QString bytes = payload.size() == 1 ? tr("1 byte") : tr("%1 bytes").arg(payload.size());
    m_sendBar->messageSent(binary ? tr("Sent %1 as binary to %2").arg(bytes, name)
                                  : tr("Sent %1 as text to %2").arg(bytes, name));
}

void SourcesPanel::updateActions()
{
    const int current = currentRow();
    m_details->setRow(current);
    const QList<int> rows = selectedRows();
    const bool hasTarget = !rows.isEmpty() || current >= 0;
    m_editAction->setEnabled(current >= 0);
    m_renameAction->setEnabled(current >= 0);
    m_reconnectAction->setEnabled(hasTarget);
    m_pauseAction->setEnabled(hasTarget);
    m_removeAction->setEnabled(!rows.isEmpty());
    QList<int> targets = rows;
    if (targets.isEmpty() && current >= 0)
        targets.append(current);
    const bool allPaused = !targets.isEmpty()
        && std::all_of(targets.cbegin(), targets.cend(), [this](int row) { return m_model->isPaused(row); });
    m_pauseAction->setText(allPaused ? tr("Resume") : tr("Pause"));
    const Transport *transport = m_model->transportAt(current);
    const bool duplex = transport && transport->isDuplex();
    m_sendBar->setTarget(transport ? shortSourceName(transport->sourceId()) : QString(), duplex);
}
