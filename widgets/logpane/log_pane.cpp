#include "log_pane.h"

#include "event_log_model.h"
#include "log_detail_view.h"
#include "log_filter_proxy.h"
#include "log_item_delegate.h"
#include "source_name.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QLoggingCategory>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

Q_LOGGING_CATEGORY(lcLogPane, "dash.widgets.logpane", QtInfoMsg)

namespace {

constexpr int FilterDebounceMs = 150;

QString groupedNumber(quint64 value)
{
    QLocale locale;
    locale.setNumberOptions(locale.numberOptions() & ~QLocale::OmitGroupSeparator);
    return locale.toString(value);
}

/// Sets a flag for the lifetime of the guard.
class FlagGuard
{
public:
    explicit FlagGuard(bool &flag)
        : m_flag(flag)
        , m_previous(flag)
    {
        m_flag = true;
    }
    ~FlagGuard() { m_flag = m_previous; }
    FlagGuard(const FlagGuard &) = delete;
    FlagGuard &operator=(const FlagGuard &) = delete;

private:
    bool &m_flag;
    bool m_previous;
};

bool isNavigationKey(int key)
{
    switch (key) {
    case Qt::Key_Up:
    case Qt::Key_Down:
    case Qt::Key_PageUp:
    case Qt::Key_PageDown:
    case Qt::Key_Home:
    case Qt::Key_End:
        return true;
    default:
        return false;
    }
}

/// One line of status text that never asks for a new layout: QLabel::setText() re-lays out every
/// layout up to the window on each call (QLayout::activate() ends in updateGeometry()), which at
/// 20 flushes a second re-ran the whole window's layout. This widget only repaints; the text is
/// elided to the width.
class StatusLine : public QWidget
{
public:
    explicit StatusLine(QWidget *parent)
        : QWidget(parent)
    {
        setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    }
    void setText(const QString &text)
    {
        if (text == m_text)
            return;
        m_text = text;
        setToolTip(text);
        update();
    }
    QString text() const { return m_text; }
    QSize sizeHint() const override { return QSize(200, fontMetrics().height() + 4); }
    QSize minimumSizeHint() const override { return QSize(0, fontMetrics().height() + 4); }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        const QRect r = rect().adjusted(2, 0, -2, 0);
        painter.drawText(r, Qt::AlignVCenter | Qt::AlignLeft,
                         fontMetrics().elidedText(m_text, Qt::ElideRight, r.width()));
    }

private:
    QString m_text;
};

} // namespace

LogPane::LogPane(EventLogModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new LogFilterProxy(this))
{
    m_proxy->setSourceModel(m_model);
    buildActions();
    QWidget *bar = buildFilterBar();
    buildView();
    buildDetail();

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->addWidget(m_view);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);
    m_detail->hide();

    m_status = new StatusLine(this);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(bar);
    layout->addWidget(m_splitter, 1);
    layout->addWidget(m_status);

    connectModel();
    updateSources();
    updateStatus();
}

LogPane::~LogPane() = default;

void LogPane::buildActions()
{
    m_findAction = new QAction(tr("Find in log"), this);
    m_findAction->setObjectName(QStringLiteral("findInLogAction"));
    m_findAction->setShortcut(QKeySequence::Find);
    m_findAction->setShortcutContext(Qt::WindowShortcut);
    connect(m_findAction, &QAction::triggered, this, [this] {
        m_filterEdit->setFocus(Qt::ShortcutFocusReason);
        m_filterEdit->selectAll();
    });
    addAction(m_findAction);

    m_followAction = new QAction(tr("Follow the log (jump to the newest row)"), this);
    m_followAction->setObjectName(QStringLiteral("followLogAction"));
    m_followAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_End));
    m_followAction->setShortcutContext(Qt::WindowShortcut);
    connect(m_followAction, &QAction::triggered, this, [this] { setFollowing(true); });
    addAction(m_followAction);

    m_showGapsAction = new QAction(tr("Reconnect markers"), this);
    m_showGapsAction->setCheckable(true);
    m_showGapsAction->setChecked(true);
    m_showGapsAction->setToolTip(tr("Show the rows that mark a lost and re-established connection"));
    connect(m_showGapsAction, &QAction::toggled, this, [this](bool on) {
        m_proxy->setShowGaps(on);
        updateStatus();
    });

    m_showSentAction = new QAction(tr("Sent messages"), this);
    m_showSentAction->setCheckable(true);
    m_showSentAction->setChecked(true);
    m_showSentAction->setToolTip(tr("Show the messages LiveDash sent (\u2192) next to the received ones (\u2190)"));
    connect(m_showSentAction, &QAction::toggled, this, [this](bool on) {
        m_proxy->setShowSent(on);
        updateStatus();
    });

    m_detailsAction = new QAction(tr("Details of the selected row"), this);
    m_detailsAction->setCheckable(true);
    m_detailsAction->setChecked(true);
    connect(m_detailsAction, &QAction::toggled, this, &LogPane::setDetailVisible);

    m_copyAction = new QAction(tr("Copy"), this);
    m_copyAction->setShortcut(QKeySequence::Copy);
    m_copyAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_copyAction, &QAction::triggered, this, &LogPane::copySelection);
}

QToolButton *LogPane::buildShowMenu(QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setObjectName(QStringLiteral("logShowButton"));
    button->setText(tr("Show"));
    button->setToolTip(tr("Which kinds of rows to show, and the detail view"));
    button->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(button);
    menu->addAction(m_showGapsAction);
    menu->addAction(m_showSentAction);
    menu->addSeparator();
    menu->addAction(m_detailsAction);
    button->setMenu(menu);
    return button;
}

QToolButton *LogPane::buildExportMenu(QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setObjectName(QStringLiteral("logExportButton"));
    button->setText(tr("Export"));
    button->setToolTip(tr("Write the rows shown (after filtering) to a file"));
    button->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(button);
    menu->addAction(tr("Shown rows as NDJSON\u2026"), this, [this] { exportInteractively(LogExport::Format::Ndjson); });
    menu->addAction(tr("Shown rows as CSV\u2026"), this, [this] { exportInteractively(LogExport::Format::Csv); });
    button->setMenu(menu);
    return button;
}

QWidget *LogPane::buildFilterBar()
{
    auto *bar = new QWidget(this);
    m_filterEdit = new QLineEdit(bar);
    m_filterEdit->setObjectName(QStringLiteral("logFilterEdit"));
    m_filterEdit->setPlaceholderText(tr("Filter data, type or source\u2026 (Ctrl+F)"));
    m_filterEdit->setClearButtonEnabled(true);
    m_filterEdit->setMinimumWidth(90);

    m_regexBox = new QCheckBox(tr("Regex"), bar);
    m_regexBox->setToolTip(tr("Treat the filter as a regular expression (case-insensitive)"));

    m_levelBox = new QComboBox(bar);
    m_levelBox->setObjectName(QStringLiteral("logLevelBox"));
    m_levelBox->addItem(tr("All levels"), int(LogLevel::None));
    m_levelBox->addItem(tr("Warnings and errors"), int(LogLevel::Warn));
    m_levelBox->addItem(tr("Errors only"), int(LogLevel::Error));
    m_levelBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_levelBox->setMinimumContentsLength(9);
    m_levelBox->setToolTip(tr("Show only records that state this level or a higher one "
                              "(JSON \"level\"/\"severity\", or a level word in the line); "
                              "reconnect markers count as warnings"));

    m_sourceBox = new QComboBox(bar);
    m_sourceBox->setObjectName(QStringLiteral("logSourceBox"));
    m_sourceBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_sourceBox->setMinimumContentsLength(9);
    m_sourceBox->setToolTip(tr("Show the rows of one source only (its reconnect markers included)"));

    m_followButton = new QToolButton(bar);
    m_followButton->setObjectName(QStringLiteral("followButton"));
    m_followButton->setCheckable(true);
    m_followButton->setChecked(true);
    m_followButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_followButton->setToolTip(tr("Keep the newest row in view (Ctrl+End). Scrolling up pauses; scrolling "
                                  "back to the bottom or clicking here resumes."));

    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_filterEdit, 1);
    layout->addWidget(m_regexBox);
    layout->addWidget(m_levelBox);
    layout->addWidget(m_sourceBox);
    layout->addWidget(buildShowMenu(bar));
    layout->addWidget(buildExportMenu(bar));
    layout->addWidget(m_followButton);
    updateFollowText();

    auto *debounce = new QTimer(this);
    debounce->setSingleShot(true);
    debounce->setInterval(FilterDebounceMs);
    connect(debounce, &QTimer::timeout, this, &LogPane::applyFilter);
    connect(m_filterEdit, &QLineEdit::textChanged, debounce, qOverload<>(&QTimer::start));
    connect(m_filterEdit, &QLineEdit::returnPressed, this, &LogPane::applyFilter);
    connect(m_regexBox, &QCheckBox::toggled, this, &LogPane::applyFilter);
    connect(m_levelBox, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setMinimumLevel(LogLevel(m_levelBox->currentData().toInt()));
        updateStatus();
    });
    connect(m_sourceBox, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setSourceFilter(m_sourceBox->currentData().toString());
        updateStatus();
    });
    connect(m_followButton, &QToolButton::toggled, this, &LogPane::setFollowing);
    return bar;
}

void LogPane::buildView()
{
    m_view = new QTableView(this);
    m_view->setModel(m_proxy);
    m_view->setItemDelegate(new LogItemDelegate(EventLogModel::DataColumn, m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerItem);
    m_view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setShowGrid(false);
    m_view->setSortingEnabled(false);
    m_view->setCornerButtonEnabled(false);
    m_view->setMinimumHeight(60);

    // Uniform rows: the view never measures row contents (cheap with 100k rows).
    QHeaderView *vertical = m_view->verticalHeader();
    vertical->setSectionResizeMode(QHeaderView::Fixed);
    vertical->setDefaultSectionSize(fontMetrics().height() + 4);
    vertical->setMinimumSectionSize(fontMetrics().height() + 4);
    vertical->hide();

    QHeaderView *horizontal = m_view->horizontalHeader();
    horizontal->setSectionResizeMode(QHeaderView::Interactive);
    horizontal->setStretchLastSection(true); // DataColumn is last
    horizontal->setHighlightSections(false);
    const int pad = 2 * fontMetrics().horizontalAdvance(QLatin1Char('M'));
    const int x = fontMetrics().horizontalAdvance(QLatin1Char('x'));
    horizontal->resizeSection(EventLogModel::TimeColumn,
                              fontMetrics().horizontalAdvance(QStringLiteral("00:00:00.000")) + pad);
    horizontal->resizeSection(EventLogModel::SourceColumn, x * 24);
    horizontal->resizeSection(EventLogModel::TypeColumn, x * 9);
    horizontal->resizeSection(EventLogModel::IdColumn, x * 7);

    m_view->addAction(m_copyAction);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->installEventFilter(this);
}

void LogPane::buildDetail()
{
    m_detail = new LogDetailView(this);
    m_detail->setMinimumHeight(80);
    connect(m_detail, &LogDetailView::closeRequested, this, [this] { m_detailsAction->setChecked(false); });
}

void LogPane::connectModel()
{
    connect(m_model, &EventLogModel::flushed, this, &LogPane::handleFlushed);
    connect(m_model, &EventLogModel::sourcesChanged, this, &LogPane::updateSources);
    connect(m_model, &QAbstractItemModel::modelReset, this, &LogPane::updateStatus);
    connect(m_model, &QAbstractItemModel::layoutChanged, this, &LogPane::updateStatus);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, [this] {
        if (m_model->pendingCount() == 0)
            updateStatus(); // removeSource(); a flush updates through flushed()
    });
    connect(m_proxy, &QAbstractItemModel::rowsAboutToBeRemoved, this, &LogPane::handleRowsAboutToBeRemoved);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &LogPane::handleRowsInserted);
    connect(m_view->verticalScrollBar(), &QScrollBar::actionTriggered, this, &LogPane::handleScrollAction);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &LogPane::handleCurrentChanged);
}

int LogPane::visibleRowCount() const
{
    return m_proxy->rowCount();
}

void LogPane::setFollowing(bool on)
{
    const bool changed = on != m_following;
    m_following = on;
    if (m_followButton->isChecked() != on) {
        const QSignalBlocker blocker(m_followButton);
        m_followButton->setChecked(on);
    }
    if (on) {
        FlagGuard guard(m_adjusting);
        m_view->scrollToBottom();
    }
    if (changed) {
        m_newRows = 0;
        updateFollowText();
        Q_EMIT followingChanged(on);
    }
}

void LogPane::updateFollowFromPosition(int position)
{
    if (m_adjusting)
        return;
    const bool atBottom = position >= m_view->verticalScrollBar()->maximum();
    if (atBottom != m_following)
        setFollowing(atBottom);
}

void LogPane::handleScrollAction()
{
    // actionTriggered comes before the slider takes the new value; sliderPosition() has it.
    updateFollowFromPosition(m_view->verticalScrollBar()->sliderPosition());
}

void LogPane::handleUserKey()
{
    updateFollowFromPosition(m_view->verticalScrollBar()->value());
}

bool LogPane::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view && event->type() == QEvent::KeyPress
        && isNavigationKey(static_cast<QKeyEvent *>(event)->key())) {
        // The view moves after this filter returns: look at the position once it has.
        QMetaObject::invokeMethod(this, &LogPane::handleUserKey, Qt::QueuedConnection);
    }
    return QWidget::eventFilter(watched, event);
}

void LogPane::handleRowsAboutToBeRemoved(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid() || m_following)
        return;
    // ScrollPerItem: the scroll value is the first visible row. Rows removed above it would
    // otherwise pull later rows into view under the reader's eyes.
    const int top = m_view->verticalScrollBar()->value();
    if (first < top)
        m_removedAbove += std::min(last, top - 1) - first + 1;
}

void LogPane::handleRowsInserted(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid() || m_following)
        return;
    m_newRows += last - first + 1;
}

void LogPane::handleFlushed()
{
    QScrollBar *bar = m_view->verticalScrollBar();
    if (m_following) {
        FlagGuard guard(m_adjusting);
        m_view->scrollToBottom();
    } else if (m_removedAbove > 0) {
        FlagGuard guard(m_adjusting);
        bar->setValue(std::max(0, bar->value() - m_removedAbove));
    }
    m_removedAbove = 0;
    if (!m_following)
        updateFollowText();
    updateStatus();
}

void LogPane::updateFollowText()
{
    if (m_following || m_newRows == 0)
        m_followButton->setText(tr("Follow"));
    else
        m_followButton->setText(tr("Follow (%1 new)").arg(groupedNumber(quint64(m_newRows))));
}

void LogPane::updateSources()
{
    const QString current = m_sourceBox->currentData().toString();
    const QStringList sources = m_model->sources();
    const QSignalBlocker blocker(m_sourceBox);
    m_sourceBox->clear();
    m_sourceBox->addItem(tr("All sources"), QString());
    for (const QString &source : sources) {
        m_sourceBox->addItem(shortSourceName(source), source);
        m_sourceBox->setItemData(m_sourceBox->count() - 1, source, Qt::ToolTipRole);
    }
    const int index = m_sourceBox->findData(current);
    m_sourceBox->setCurrentIndex(std::max(0, index));
    if (index < 0 && !current.isEmpty()) {
        m_proxy->setSourceFilter(QString()); // the filtered source went away
        updateStatus();
    }
}

void LogPane::setSourceFilter(const QString &sourceId)
{
    const int index = m_sourceBox->findData(sourceId);
    if (index >= 0)
        m_sourceBox->setCurrentIndex(index);
    else
        m_proxy->setSourceFilter(sourceId);
    updateStatus();
}

void LogPane::handleCurrentChanged(const QModelIndex &current)
{
    if (!current.isValid())
        return;
    const QModelIndex source = m_proxy->mapToSource(current);
    if (!source.isValid())
        return;
    m_detail->setEvent(m_model->eventAt(source.row()));
    if (m_detailsAction->isChecked())
        setDetailVisible(true);
}

void LogPane::setDetailVisible(bool visible)
{
    visible = visible && m_detail->hasEvent();
    if (visible == m_detail->isVisible())
        return;
    m_detail->setVisible(visible);
    if (visible) {
        updateDetailPlacement();
        const int total = m_splitter->orientation() == Qt::Vertical ? m_splitter->height() : m_splitter->width();
        m_splitter->setSizes({total * 3 / 5, total * 2 / 5});
    }
    if (m_following) {
        FlagGuard guard(m_adjusting);
        m_view->scrollToBottom();
    }
}

void LogPane::updateDetailPlacement()
{
    // Below the table in a tall pane, beside it in a wide and short one (a window of 800x500
    // leaves the log about 800x200: a detail below would leave two table rows), as DevTools
    // docks its panels. Hysteresis keeps it from flipping at the boundary.
    const double ratio = double(width()) / std::max(1, height());
    const Qt::Orientation wanted = m_splitter->orientation() == Qt::Vertical
        ? (ratio > 2.6 ? Qt::Horizontal : Qt::Vertical)
        : (ratio < 2.2 ? Qt::Vertical : Qt::Horizontal);
    if (wanted == m_splitter->orientation())
        return;
    m_splitter->setOrientation(wanted);
    const int total = wanted == Qt::Vertical ? m_splitter->height() : m_splitter->width();
    m_splitter->setSizes({total * 3 / 5, total * 2 / 5});
}

void LogPane::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    updateDetailPlacement();
}

Qt::Orientation LogPane::detailPlacement() const
{
    return m_splitter->orientation();
}

bool LogPane::isDetailVisible() const
{
    return m_detail->isVisible();
}

bool LogPane::setFilter(const QString &pattern, bool regex)
{
    {
        const QSignalBlocker textBlocker(m_filterEdit);
        const QSignalBlocker boxBlocker(m_regexBox);
        m_filterEdit->setText(pattern);
        m_regexBox->setChecked(regex);
    }
    applyFilter();
    return m_filterError.isEmpty();
}

void LogPane::applyFilter()
{
    QString error;
    const auto mode = m_regexBox->isChecked() ? LogFilterProxy::Mode::Regex
                                               : LogFilterProxy::Mode::Substring;
    const bool ok = [&] {
        FlagGuard guard(m_adjusting);
        return m_proxy->setFilter(m_filterEdit->text(), mode, &error);
    }();
    m_filterError = ok ? QString() : error;
    if (ok) {
        m_filterEdit->setStyleSheet(QString());
        m_filterEdit->setToolTip(QString());
        if (m_following) {
            FlagGuard guard(m_adjusting);
            m_view->scrollToBottom();
        }
    } else {
        qCDebug(lcLogPane) << "invalid filter regex:" << error;
        m_filterEdit->setStyleSheet(QStringLiteral("QLineEdit { border: 2px solid #c62828; }"));
        m_filterEdit->setToolTip(tr("Invalid regular expression: %1").arg(error));
    }
    updateStatus();
}

QString LogPane::statusText() const
{
    return static_cast<StatusLine *>(m_status)->text();
}

void LogPane::updateStatus()
{
    QString text = tr("%1 rows \u00B7 %2 gaps \u00B7 %3 dropped")
                       .arg(groupedNumber(quint64(m_model->rowCount())),
                            groupedNumber(quint64(m_model->gapCount())),
                            groupedNumber(m_model->droppedCount()));
    if (!m_filterError.isEmpty())
        text += tr(" \u00B7 invalid regular expression: %1").arg(m_filterError);
    else if (m_proxy->isFiltering())
        text += tr(" \u00B7 filter: %1 shown").arg(groupedNumber(quint64(m_proxy->rowCount())));
    static_cast<StatusLine *>(m_status)->setText(text);
}

void LogPane::copySelection()
{
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end());
    QStringList lines;
    for (const QModelIndex &row : std::as_const(rows)) {
        const int kind = row.data(EventLogModel::KindRole).toInt();
        if (kind == int(StreamEvent::Kind::Data) || kind == int(StreamEvent::Kind::Sent))
            lines << QString::fromUtf8(row.data(EventLogModel::PayloadRole).toByteArray());
        else
            lines << m_proxy->index(row.row(), EventLogModel::DataColumn).data().toString();
    }
    if (!lines.isEmpty())
        QApplication::clipboard()->setText(lines.join(QLatin1Char('\n')));
}

bool LogPane::exportRows(const QString &path, LogExport::Format format, QString *error) const
{
    QList<StreamEvent> events;
    const int rows = m_proxy->rowCount();
    events.reserve(rows);
    for (int row = 0; row < rows; ++row)
        events.append(m_model->eventAt(m_proxy->mapToSource(m_proxy->index(row, 0)).row()));
    return LogExport::write(path, format, events, error);
}

void LogPane::exportInteractively(LogExport::Format format)
{
    const bool csv = format == LogExport::Format::Csv;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export log"), csv ? QStringLiteral("log.csv") : QStringLiteral("log.ndjson"),
        csv ? tr("CSV files (*.csv)") : tr("NDJSON files (*.ndjson *.jsonl)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportRows(path, format, &error))
        QMessageBox::warning(this, tr("Export log"), error);
}
