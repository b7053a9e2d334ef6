#include "log_pane.h"

#include "event_log_model.h"
#include "log_filter_proxy.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QLoggingCategory>
#include <QScrollBar>
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

} // namespace

LogPane::LogPane(EventLogModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new LogFilterProxy(this))
    , m_view(new QTableView(this))
    , m_filterEdit(new QLineEdit(this))
    , m_regexBox(new QCheckBox(tr("Regex"), this))
    , m_levelBox(new QComboBox(this))
    , m_followButton(new QToolButton(this))
    , m_status(new QLabel(this))
    , m_copyAction(new QAction(tr("Copy"), this))
{
    m_proxy->setSourceModel(m_model);

    m_filterEdit->setPlaceholderText(tr("Filter data, type or source\u2026"));
    m_filterEdit->setClearButtonEnabled(true);
    m_regexBox->setToolTip(tr("Treat the filter as a regular expression (case-insensitive)"));
    m_levelBox->addItem(tr("All levels"), int(LogLevel::None));
    m_levelBox->addItem(tr("Warnings and errors"), int(LogLevel::Warn));
    m_levelBox->addItem(tr("Errors only"), int(LogLevel::Error));
    m_levelBox->setToolTip(tr("Show only records that state this level or a higher one "
                              "(JSON \"level\"/\"severity\", or a level word in the line)"));
    m_followButton->setText(tr("Follow"));
    m_followButton->setCheckable(true);
    m_followButton->setChecked(true);
    m_followButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_followButton->setToolTip(tr("Keep the newest row in view. Scrolling up pauses; scrolling back "
                                  "to the bottom or clicking here resumes."));

    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerItem);
    m_view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setShowGrid(false);
    m_view->setSortingEnabled(false);
    m_view->setCornerButtonEnabled(false);

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
    horizontal->resizeSection(EventLogModel::TimeColumn,
                              fontMetrics().horizontalAdvance(QStringLiteral("00:00:00.000")) + pad);
    horizontal->resizeSection(EventLogModel::SourceColumn, fontMetrics().horizontalAdvance(QLatin1Char('x')) * 28);
    horizontal->resizeSection(EventLogModel::TypeColumn, fontMetrics().horizontalAdvance(QLatin1Char('x')) * 10);
    horizontal->resizeSection(EventLogModel::IdColumn, fontMetrics().horizontalAdvance(QLatin1Char('x')) * 8);

    m_copyAction->setShortcut(QKeySequence::Copy);
    m_copyAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_view->addAction(m_copyAction);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(m_copyAction, &QAction::triggered, this, &LogPane::copySelection);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filterEdit, 1);
    bar->addWidget(m_regexBox);
    bar->addWidget(m_levelBox);
    bar->addWidget(m_followButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);

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
    connect(m_followButton, &QToolButton::toggled, this, &LogPane::setFollowing);

    connect(m_model, &EventLogModel::flushed, this, &LogPane::handleFlushed);
    connect(m_model, &QAbstractItemModel::modelReset, this, &LogPane::updateStatus);
    connect(m_proxy, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            &LogPane::handleRowsAboutToBeRemoved);
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this,
            &LogPane::handleScrollValue);

    updateStatus();
}

LogPane::~LogPane() = default;

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
    if (changed)
        Q_EMIT followingChanged(on);
}

void LogPane::handleScrollValue(int value)
{
    if (m_adjusting)
        return;
    const bool atBottom = value >= m_view->verticalScrollBar()->maximum();
    if (atBottom == m_following)
        return;
    m_following = atBottom;
    {
        const QSignalBlocker blocker(m_followButton);
        m_followButton->setChecked(atBottom);
    }
    Q_EMIT followingChanged(atBottom);
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
    updateStatus();
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
    return m_filterEdit->property("invalidPattern").toBool() == false;
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
    if (ok) {
        m_filterEdit->setProperty("invalidPattern", false);
        m_filterEdit->setStyleSheet(QString());
        m_filterEdit->setToolTip(QString());
        if (m_following) {
            FlagGuard guard(m_adjusting);
            m_view->scrollToBottom();
        }
    } else {
        qCDebug(lcLogPane) << "invalid filter regex:" << error;
        m_filterEdit->setProperty("invalidPattern", true);
        m_filterEdit->setStyleSheet(QStringLiteral("QLineEdit { border: 2px solid #c62828; }"));
        m_filterEdit->setToolTip(tr("Invalid regular expression: %1").arg(error));
    }
    updateStatus();
}

QString LogPane::statusText() const
{
    return m_status->text();
}

void LogPane::updateStatus()
{
    QString text = tr("%1 rows \u00B7 %2 gaps \u00B7 %3 dropped")
                       .arg(groupedNumber(quint64(m_model->rowCount())),
                            groupedNumber(quint64(m_model->gapCount())),
                            groupedNumber(m_model->droppedCount()));
    if (m_proxy->isFiltering())
        text += tr(" \u00B7 filter: %1 shown").arg(groupedNumber(quint64(m_proxy->rowCount())));
    m_status->setText(text);
}

void LogPane::copySelection()
{
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end());
    QStringList lines;
    for (const QModelIndex &row : std::as_const(rows)) {
        const int kind = row.data(EventLogModel::KindRole).toInt();
        if (kind == int(StreamEvent::Kind::Data))
            lines << QString::fromUtf8(row.data(EventLogModel::PayloadRole).toByteArray());
        else
            lines << m_proxy->index(row.row(), EventLogModel::DataColumn).data().toString();
    }
    if (!lines.isEmpty())
        QApplication::clipboard()->setText(lines.join(QLatin1Char('\n')));
}
