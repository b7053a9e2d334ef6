#include "chart_panel.h"

#include "source_name.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QLoggingCategory>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

Q_LOGGING_CATEGORY(lcCharts, "dash.widgets.charts", QtInfoMsg)

namespace {

enum FieldRole { SourceRole = Qt::UserRole + 1, PointerRole };

} // namespace

ChartPanel::ChartPanel(SeriesBuffer *buffer, QWidget *parent)
    : QWidget(parent)
    , m_buffer(buffer)
    , m_fields(new QStandardItemModel(this))
    , m_fieldFilter(new QSortFilterProxyModel(this))
    , m_fieldView(new QTreeView(this))
    , m_filterEdit(new QLineEdit(this))
    , m_pauseButton(new QToolButton(this))
    , m_stack(new QStackedWidget(this))
    , m_emptyLabel(new QLabel(tr("No numeric fields yet \u2014 add a source that sends JSON"), this))
    , m_chartView(new QChartView(this))
    , m_chart(new QChart)
    , m_xAxis(new QDateTimeAxis)
    , m_yAxis(new QValueAxis)
{
    // Field chooser.
    m_fieldFilter->setSourceModel(m_fields);
    m_fieldFilter->setRecursiveFilteringEnabled(true);
    m_fieldFilter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_fieldView->setModel(m_fieldFilter);
    m_fieldView->setHeaderHidden(true);
    m_fieldView->setUniformRowHeights(true);
    m_fieldView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_filterEdit->setPlaceholderText(tr("Filter fields\u2026"));
    m_filterEdit->setClearButtonEnabled(true);
    connect(m_filterEdit, &QLineEdit::textChanged, m_fieldFilter,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(m_fields, &QStandardItemModel::itemChanged, this, &ChartPanel::handleItemChanged);

    auto *chooser = new QWidget(this);
    auto *chooserLayout = new QVBoxLayout(chooser);
    chooserLayout->setContentsMargins(0, 0, 0, 0);
    chooserLayout->addWidget(m_filterEdit);
    chooserLayout->addWidget(m_fieldView, 1);

    // Chart.
    m_chart->setTheme(QChart::ChartThemeLight);
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->legend()->setShowToolTips(true); // names elide when many series share the row
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_xAxis->setFormat(QStringLiteral("HH:mm:ss"));
    m_xAxis->setTickCount(7);
    m_xAxis->setTitleText(tr("Time"));
    m_yAxis->setLabelFormat(QStringLiteral("%.4g"));
    m_yAxis->setRange(0, 1);
    m_chart->addAxis(m_xAxis, Qt::AlignBottom);
    m_chart->addAxis(m_yAxis, Qt::AlignLeft);
    // Qt Charts 6.4: a QDateTimeAxis whose first real range is set only after the chart is in a
    // view keeps drawing no labels or grid lines; give it the live window before setChart().
    updateAxes();
    // QChartView made a default chart of its own; setChart() only releases it, so delete it here.
    QChart *defaultChart = m_chartView->chart();
    m_chartView->setChart(m_chart);
    delete defaultChart;
    m_chartView->setRenderHint(QPainter::Antialiasing);

    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setEnabled(false); // the palette's disabled text colour: readable, clearly secondary
    m_stack->addWidget(m_emptyLabel);
    m_stack->addWidget(m_chartView);

    m_pauseButton->setText(tr("Pause"));
    m_pauseButton->setCheckable(true);
    m_pauseButton->setToolTip(tr("Freeze the chart; data keeps being collected"));
    connect(m_pauseButton, &QToolButton::toggled, this, &ChartPanel::setPaused);

    auto *plot = new QWidget(this);
    auto *plotLayout = new QVBoxLayout(plot);
    plotLayout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    bar->addStretch(1);
    bar->addWidget(m_pauseButton);
    plotLayout->addLayout(bar);
    plotLayout->addWidget(m_stack, 1);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(chooser);
    splitter->addWidget(plot);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({220, 600});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    m_slideTimer.setSingleShot(true);
    m_slideTimer.setInterval(IdleSlideMs);
    connect(&m_slideTimer, &QTimer::timeout, this, &ChartPanel::slideXAxis);

    connect(m_buffer, &SeriesBuffer::fieldsDiscovered, this, &ChartPanel::handleFieldsDiscovered);
    connect(m_buffer, &SeriesBuffer::seriesUpdated, this, &ChartPanel::refresh);
    connect(m_buffer, &SeriesBuffer::cleared, this, &ChartPanel::handleCleared);

    m_stack->setCurrentWidget(m_emptyLabel);
    if (!m_buffer->knownFields().isEmpty())
        handleFieldsDiscovered(m_buffer->knownFields());
}

ChartPanel::~ChartPanel() = default;

QString ChartPanel::seriesName(const SeriesKey &key)
{
    return shortSourceName(key.source) + QLatin1Char(' ') + key.pointer;
}

QString ChartPanel::legendName(const SeriesKey &key, const QList<SeriesKey> &shown)
{
    const bool oneSource = std::all_of(shown.cbegin(), shown.cend(),
                                       [&](const SeriesKey &other) { return other.source == key.source; });
    if (oneSource)
        return key.pointer;
    const QString source = shortSourceName(key.source);
    const QString last = source.section(QLatin1Char('/'), -1, -1, QString::SectionSkipEmpty);
    return (last.isEmpty() ? source : last) + QLatin1Char(' ') + key.pointer;
}

void ChartPanel::autoSelect(const QList<SeriesKey> &fields)
{
    const SeriesKey &first = fields.constFirst();
    const QString parent = first.pointer.left(first.pointer.lastIndexOf(QLatin1Char('/')));
    auto magnitude = [this](const SeriesKey &key) {
        const QList<QPointF> points = m_buffer->points(key);
        return points.isEmpty() ? 0.0 : std::abs(points.constLast().y());
    };
    const double firstMagnitude = magnitude(first);
    for (const SeriesKey &key : fields) {
        if (m_autoSelected >= AutoSelectCount)
            break;
        if (key.source != first.source
            || key.pointer.left(key.pointer.lastIndexOf(QLatin1Char('/'))) != parent)
            continue;
        // Siblings within a factor of 10 of the first field share an axis well.
        const double m = magnitude(key);
        const double big = std::max(m, firstMagnitude);
        const double small = std::min(m, firstMagnitude);
        if (big > 1.0 && small * 10.0 < big)
            continue;
        m_buffer->setSelected(key, true);
        ++m_autoSelected;
    }
}

bool ChartPanel::isShowingEmptyState() const
{
    return m_stack->currentWidget() == m_emptyLabel;
}

QStandardItem *ChartPanel::sourceItem(const QString &source)
{
    QStandardItem *&item = m_sourceItems[source];
    if (!item) {
        item = new QStandardItem(shortSourceName(source));
        item->setToolTip(source);
        item->setSelectable(false);
        item->setEditable(false);
        m_fields->appendRow(item);
    }
    return item;
}

void ChartPanel::handleFieldsDiscovered(const QList<SeriesKey> &fields)
{
    if (fields.isEmpty())
        return;
    const bool selectedAny = m_autoSelected == 0 && m_buffer->selectedFields().isEmpty();
    if (selectedAny)
        autoSelect(fields);
    {
        m_syncingChecks = true;
        for (const SeriesKey &key : fields) {
            QStandardItem *parent = sourceItem(key.source);
            auto *item = new QStandardItem(key.pointer);
            item->setData(key.source, SourceRole);
            item->setData(key.pointer, PointerRole);
            item->setToolTip(seriesName(key));
            item->setEditable(false);
            item->setCheckable(true);
            item->setCheckState(m_buffer->isSelected(key) ? Qt::Checked : Qt::Unchecked);
            parent->appendRow(item);
            m_fieldView->expand(m_fieldFilter->mapFromSource(parent->index()));
        }
        m_syncingChecks = false;
    }
    m_stack->setCurrentWidget(m_chartView);
    if (selectedAny)
        refresh();
}

void ChartPanel::handleItemChanged(QStandardItem *item)
{
    if (m_syncingChecks || !item->isCheckable())
        return;
    const SeriesKey key{item->data(SourceRole).toString(), item->data(PointerRole).toString()};
    m_buffer->setSelected(key, item->checkState() == Qt::Checked);
    refresh();
}

void ChartPanel::handleCleared()
{
    for (QLineSeries *line : std::as_const(m_lines)) {
        m_chart->removeSeries(line);
        delete line;
    }
    m_lines.clear();
    m_fields->clear();
    m_sourceItems.clear();
    m_autoSelected = 0;
    m_stack->setCurrentWidget(m_emptyLabel);
    updateAxes();
}

void ChartPanel::setPaused(bool paused)
{
    if (m_pauseButton->isChecked() != paused) {
        const QSignalBlocker blocker(m_pauseButton);
        m_pauseButton->setChecked(paused);
    }
    if (paused == m_paused)
        return;
    m_paused = paused;
    if (paused)
        m_slideTimer.stop();
    else
        refresh();
}

void ChartPanel::refresh()
{
    if (m_paused)
        return;
    syncSeries();
    updateAxes();
    if (!m_lines.isEmpty())
        m_slideTimer.start();
}

void ChartPanel::syncSeries()
{
    const QList<SeriesKey> selected = m_buffer->selectedFields();
    for (auto it = m_lines.begin(); it != m_lines.end();) {
        if (selected.contains(it.key())) {
            ++it;
            continue;
        }
        m_chart->removeSeries(it.value());
        delete it.value();
        it = m_lines.erase(it);
    }
    for (const SeriesKey &key : selected) {
        QLineSeries *&line = m_lines[key];
        if (!line) {
            line = new QLineSeries;
            m_chart->addSeries(line);
            line->attachAxis(m_xAxis);
            line->attachAxis(m_yAxis);
            qCDebug(lcCharts) << "showing" << seriesName(key);
        }
        const QString name = legendName(key, selected);
        if (line->name() != name)
            line->setName(name);
        line->replace(m_buffer->points(key));
    }
}

void ChartPanel::updateAxes()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 from = now - m_buffer->windowMs();
    m_xAxis->setRange(QDateTime::fromMSecsSinceEpoch(from), QDateTime::fromMSecsSinceEpoch(now));

    double low = std::numeric_limits<double>::infinity();
    double high = -std::numeric_limits<double>::infinity();
    for (const QLineSeries *line : std::as_const(m_lines)) {
        const QList<QPointF> points = line->points();
        for (const QPointF &p : points) {
            if (p.x() < double(from))
                continue;
            low = std::min(low, p.y());
            high = std::max(high, p.y());
        }
    }
    if (low > high) {
        m_yAxis->setRange(0, 1);
        return;
    }
    const double span = high - low;
    const double pad = span > 0 ? span * 0.05 : std::max(std::abs(high) * 0.05, 1.0);
    const double bottom = low >= 0 ? std::max(0.0, low - pad) : low - pad;
    m_yAxis->setRange(bottom, high + pad);
    m_yAxis->setTickCount(5);
    m_yAxis->applyNiceNumbers();
}

void ChartPanel::slideXAxis()
{
    if (m_paused || m_lines.isEmpty())
        return;
    updateAxes();
    m_slideTimer.start();
}
