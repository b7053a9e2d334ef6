#include "chart_panel.h"

#include "chart_lines_item.h"
#include "chart_palette.h"
#include "chart_view.h"
#include "source_name.h"

#include <QAction>
#include <QChart>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QFileDialog>
#include <QGraphicsLineItem>
#include <QGraphicsScene>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QSaveFile>
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

constexpr int FallbackColumns = 800;

QString windowLabel(int windowMs)
{
    if (windowMs == SeriesBuffer::AllWindow)
        return QObject::tr("All");
    if (windowMs < 60'000)
        return QObject::tr("%1 s").arg(windowMs / 1'000);
    return QObject::tr("%1 min").arg(windowMs / 60'000);
}

QString formatValue(double value)
{
    return QString::number(value, 'g', 7);
}

QString csvField(const QString &text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"'))
        && !text.contains(QLatin1Char('\n')) && !text.contains(QLatin1Char('\r')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

struct NiceRange
{
    double low;
    double high;
    int ticks;
};

/// 1, 2, 5 × 10^n at or above (ceiling) or nearest to `x`, as QValueAxis::applyNiceNumbers().
double niceNumber(double x, bool ceiling)
{
    const double z = std::pow(10.0, std::floor(std::log10(x)));
    double q = x / z;
    if (ceiling)
        q = q <= 1.0 ? 1.0 : q <= 2.0 ? 2.0 : q <= 5.0 ? 5.0 : 10.0;
    else
        q = q < 1.5 ? 1.0 : q < 3.0 ? 2.0 : q < 7.0 ? 5.0 : 10.0;
    return q * z;
}

/// The loose nice-number range of QValueAxis::applyNiceNumbers(), without touching an axis.
NiceRange niceRange(double low, double high, int ticks)
{
    if (!(high > low))
        return {low, low + 1, ticks};
    const double range = niceNumber(high - low, true);
    const double step = niceNumber(range / (ticks - 1), false);
    const double first = std::floor(low / step);
    const double last = std::ceil(high / step);
    return {first * step, last * step, int(last - first) + 1};
}

QIcon swatch(int colorIndex)
{
    QPixmap pixmap(14, 14);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    QPen pen = ChartPalette::pen(colorIndex);
    pen.setWidthF(3);
    painter.setPen(pen);
    painter.drawLine(1, 7, 13, 7);
    return QIcon(pixmap);
}

} // namespace

ChartPanel::ChartPanel(SeriesBuffer *buffer, QWidget *parent)
    : QWidget(parent)
    , m_buffer(buffer)
    , m_fields(new QStandardItemModel(this))
    , m_fieldFilter(new QSortFilterProxyModel(this))
{
    buildChart();
    buildActions();

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(buildChooser());
    splitter->addWidget(buildPlot());
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({160, 640});
    splitter->setCollapsible(0, true); // drag the chooser away to give a narrow window's plot all the room
    splitter->setCollapsible(1, false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(buildToolBar());
    layout->addWidget(splitter, 1);

    m_slideTimer.setSingleShot(true);
    m_slideTimer.setInterval(IdleSlideMs);
    connect(&m_slideTimer, &QTimer::timeout, this, &ChartPanel::refresh);
    connectBuffer();

    m_stack->setCurrentWidget(m_emptyLabel);
    if (!m_buffer->knownFields().isEmpty())
        handleFieldsDiscovered(m_buffer->knownFields());
}

ChartPanel::~ChartPanel() = default;

QWidget *ChartPanel::buildChooser()
{
    auto *chooser = new QWidget(this);
    m_filterEdit = new QLineEdit(chooser);
    m_fieldView = new QTreeView(chooser);
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

    auto *layout = new QVBoxLayout(chooser);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_filterEdit);
    layout->addWidget(m_fieldView, 1);
    chooser->setMinimumWidth(120);
    return chooser;
}

void ChartPanel::buildChart()
{
    m_chart = new QChart;
    m_xAxis = new QDateTimeAxis;
    m_yLeft = new QValueAxis;
    m_yRight = new QValueAxis;
    m_chart->setTheme(QChart::ChartThemeLight);
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->legend()->hide(); // ChartLegend below the plot wraps instead of eliding
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_xAxis->setFormat(QStringLiteral("HH:mm:ss"));
    m_xAxis->setTickCount(7);
    m_yLeft->setLabelFormat(QStringLiteral("%.4g"));
    m_yLeft->setRange(0, 1);
    m_yRight->setLabelFormat(QStringLiteral("%.4g"));
    m_yRight->setRange(0, 1);
    m_yRight->setVisible(false);
    m_chart->addAxis(m_xAxis, Qt::AlignBottom);
    m_chart->addAxis(m_yLeft, Qt::AlignLeft);
    m_chart->addAxis(m_yRight, Qt::AlignRight);
    // Qt Charts 6.4: a QDateTimeAxis whose first real range is set only after the chart is in a
    // view keeps drawing no labels or grid lines; give it the live window before setChart().
    const auto [from, to] = m_buffer->windowRange(QDateTime::currentMSecsSinceEpoch());
    m_xAxis->setRange(QDateTime::fromMSecsSinceEpoch(from), QDateTime::fromMSecsSinceEpoch(to));

    m_chartView = new ChartView(this);
    // QChartView made a default chart of its own; setChart() only releases it, so delete it here.
    QChart *defaultChart = m_chartView->chart();
    m_chartView->setChart(m_chart);
    delete defaultChart;
    m_chartView->setRenderHint(QPainter::Antialiasing);
    // Every frame moves the series, the time labels and the grid: a BSP index of a scene whose
    // items all change is pure upkeep, and working out minimal dirty regions per item costs more
    // than repainting the plot (profiled in bench_gui_load).
    m_chartView->scene()->setItemIndexMethod(QGraphicsScene::NoIndex);
    m_chartView->setViewportUpdateMode(QGraphicsView::FullViewportUpdate);

    m_linesItem = new ChartLinesItem(m_chart);
    m_linesItem->setPlotArea(m_chart->plotArea());
    connect(m_chart, &QChart::plotAreaChanged, this, [this](const QRectF &area) {
        m_linesItem->setPlotArea(area);
        // New axis labels or a legend row change the plot's width after the points were read:
        // read them again for the new columns, so there are never more than two per column.
        if (!m_refreshing && !m_paused)
            readAgainIfNarrowed();
        const int ticks = std::clamp(int(area.width() / 110.0) + 1, 2, 7);
        if (m_xAxis->tickCount() != ticks)
            m_xAxis->setTickCount(ticks);
    });

    m_crosshair = new QGraphicsLineItem(m_chart);
    QPen crosshairPen(QColor(90, 90, 90), 1, Qt::DashLine);
    crosshairPen.setCosmetic(true);
    m_crosshair->setPen(crosshairPen);
    m_crosshair->setZValue(1'000);
    m_crosshair->hide();

    m_readout = new QLabel(m_chartView);
    m_readout->setObjectName(QStringLiteral("chartReadout"));
    m_readout->setTextFormat(Qt::RichText);
    m_readout->setAttribute(Qt::WA_TransparentForMouseEvents);
    m_readout->setStyleSheet(QStringLiteral("QLabel { background: rgba(255, 255, 255, 235); "
                                            "border: 1px solid #9e9e9e; padding: 4px; color: #202020; }"));
    m_readout->hide();

    connect(m_chartView, &ChartView::zoomRequested, this, &ChartPanel::handleZoomRequested);
    connect(m_chartView, &ChartView::panRequested, this, &ChartPanel::handlePanRequested);
    connect(m_chartView, &ChartView::resetRequested, this, &ChartPanel::resetZoom);
    connect(m_chartView, &ChartView::hoverMoved, this, &ChartPanel::showCrosshairAt);
    connect(m_chartView, &ChartView::hoverLeft, this, &ChartPanel::hideCrosshair);
    connect(m_chartView, &ChartView::pauseToggleRequested, this, [this] { setPaused(!m_paused); });
}

void ChartPanel::buildActions()
{
    m_pauseAction = new QAction(tr("Pause chart"), this);
    m_pauseAction->setIconText(tr("Pause")); // what the tool button shows; text() is for menus and Help
    m_pauseAction->setObjectName(QStringLiteral("pauseChartAction"));
    m_pauseAction->setCheckable(true);
    m_pauseAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    m_pauseAction->setShortcutContext(Qt::WindowShortcut);
    m_pauseAction->setToolTip(tr("Freeze the chart; data keeps being collected (Ctrl+P, or Space on the plot)"));
    connect(m_pauseAction, &QAction::toggled, this, &ChartPanel::setPaused);
    addAction(m_pauseAction);

    m_resetAction = new QAction(tr("Reset chart zoom"), this);
    m_resetAction->setIconText(tr("Reset"));
    m_resetAction->setObjectName(QStringLiteral("resetChartZoomAction"));
    m_resetAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    m_resetAction->setShortcutContext(Qt::WindowShortcut);
    m_resetAction->setToolTip(tr("Back to the live window with automatic value ranges (Ctrl+0, or double-click the plot)"));
    connect(m_resetAction, &QAction::triggered, this, &ChartPanel::resetZoom);
    addAction(m_resetAction);
}

QWidget *ChartPanel::buildToolBar()
{
    auto *bar = new QWidget(this);
    m_windowBox = new QComboBox(bar);
    m_windowBox->setObjectName(QStringLiteral("chartWindowBox"));
    for (const int windowMs : windowChoices())
        m_windowBox->addItem(windowLabel(windowMs), windowMs);
    m_windowBox->setCurrentIndex(std::max(0, m_windowBox->findData(m_buffer->windowMs())));
    m_windowBox->setToolTip(tr("Time window shown; \"All\" shows everything held"));
    connect(m_windowBox, &QComboBox::activated, this,
            [this](int index) { setWindowMs(m_windowBox->itemData(index).toInt()); });

    m_scaleBox = new QComboBox(bar);
    m_scaleBox->setObjectName(QStringLiteral("chartScaleBox"));
    m_scaleBox->addItem(tr("Auto axes"), int(ScaleMode::Auto));
    m_scaleBox->addItem(tr("One axis"), int(ScaleMode::Shared));
    m_scaleBox->addItem(tr("Normalised"), int(ScaleMode::Normalised));
    m_scaleBox->setToolTip(tr("Auto axes: lines more than 10\u00D7 smaller than the largest go on a right axis.\n"
                              "Normalised: every line spans 0\u2013100 % of its own range."));
    connect(m_scaleBox, &QComboBox::activated, this,
            [this](int index) { setScaleMode(ScaleMode(m_scaleBox->itemData(index).toInt())); });

    m_modeNote = new QLabel(bar);
    m_modeNote->setEnabled(false);

    m_resetButton = new QToolButton(bar);
    m_resetButton->setObjectName(QStringLiteral("resetZoomButton"));
    m_resetButton->setDefaultAction(m_resetAction);
    m_pauseButton = new QToolButton(bar);
    m_pauseButton->setObjectName(QStringLiteral("pauseButton"));
    m_pauseButton->setDefaultAction(m_pauseAction);

    m_exportButton = new QToolButton(bar);
    m_exportButton->setObjectName(QStringLiteral("chartExportButton"));
    m_exportButton->setText(tr("Export"));
    m_exportButton->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(m_exportButton);
    menu->addAction(tr("Save chart as PNG\u2026"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save chart"), QStringLiteral("chart.png"),
                                                          tr("PNG images (*.png)"));
        QString error;
        if (!path.isEmpty() && !exportPng(path, &error))
            QMessageBox::warning(this, tr("Save chart"), error);
    });
    menu->addAction(tr("Export shown series as CSV\u2026"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export chart data"), QStringLiteral("chart.csv"),
                                                          tr("CSV files (*.csv)"));
        QString error;
        if (!path.isEmpty() && !exportCsv(path, &error))
            QMessageBox::warning(this, tr("Export chart data"), error);
    });
    m_exportButton->setMenu(menu);

    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_windowBox);
    layout->addWidget(m_scaleBox);
    layout->addWidget(m_modeNote, 1);
    layout->addWidget(m_resetButton);
    layout->addWidget(m_pauseButton);
    layout->addWidget(m_exportButton);
    return bar;
}

QWidget *ChartPanel::buildPlot()
{
    auto *plot = new QWidget(this);
    m_stack = new QStackedWidget(plot);
    m_emptyLabel = new QLabel(tr("No numeric fields yet \u2014 add a source that sends JSON"), m_stack);
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setEnabled(false); // the palette's disabled text colour: readable, clearly secondary

    auto *chartPage = new QWidget(m_stack);
    m_legend = new ChartLegend(chartPage);
    auto *chartLayout = new QVBoxLayout(chartPage);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    chartLayout->setSpacing(0);
    chartLayout->addWidget(m_chartView, 1);
    chartLayout->addWidget(m_legend);
    m_chartView->setMinimumHeight(120);

    m_stack->addWidget(m_emptyLabel);
    m_stack->addWidget(chartPage);

    auto *layout = new QVBoxLayout(plot);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack, 1);
    return plot;
}

void ChartPanel::connectBuffer()
{
    connect(m_buffer, &SeriesBuffer::fieldsDiscovered, this, &ChartPanel::handleFieldsDiscovered);
    connect(m_buffer, &SeriesBuffer::fieldsRemoved, this, &ChartPanel::handleFieldsRemoved);
    connect(m_buffer, &SeriesBuffer::seriesUpdated, this, &ChartPanel::refresh);
    connect(m_buffer, &SeriesBuffer::cleared, this, &ChartPanel::handleCleared);
}

QList<int> ChartPanel::windowChoices()
{
    return {10'000, 30'000, 60'000, 5 * 60'000, 10 * 60'000, SeriesBuffer::AllWindow};
}

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

bool ChartPanel::isShown(const SeriesKey &key) const
{
    return m_lines.contains(key);
}

QList<QPointF> ChartPanel::shownPoints(const SeriesKey &key) const
{
    const auto it = m_lines.constFind(key);
    return it == m_lines.constEnd() ? QList<QPointF>() : it->points;
}

QList<QPointF> ChartPanel::drawnPoints(const SeriesKey &key) const
{
    const auto it = m_lines.constFind(key);
    return it == m_lines.constEnd() ? QList<QPointF>() : it->drawn;
}

QColor ChartPanel::lineColor(const SeriesKey &key) const
{
    const auto it = m_lines.constFind(key);
    return it == m_lines.constEnd() ? QColor() : ChartPalette::color(it->colorIndex);
}

int ChartPanel::lineCount() const
{
    return int(m_lines.size());
}

QPointF ChartPanel::mapToChart(const QPointF &value, bool rightAxis) const
{
    return m_linesItem->mapToParent(m_linesItem->map(value, rightAxis));
}

bool ChartPanel::isOnRightAxis(const SeriesKey &key) const
{
    const auto it = m_lines.constFind(key);
    return it != m_lines.constEnd() && it->rightAxis;
}

void ChartPanel::autoSelect(const QList<SeriesKey> &fields)
{
    const SeriesKey &first = fields.constFirst();
    const QString parent = first.pointer.left(first.pointer.lastIndexOf(QLatin1Char('/')));
    auto magnitude = [this](const SeriesKey &key) {
        const std::optional<QPointF> last = m_buffer->lastValue(key);
        return last ? std::abs(last->y()) : 0.0;
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
    m_stack->setCurrentIndex(1);
    if (selectedAny)
        refresh();
}

void ChartPanel::handleFieldsRemoved(const QList<SeriesKey> &fields)
{
    for (const SeriesKey &key : fields) {
        m_lines.remove(key);
        QStandardItem *parent = m_sourceItems.value(key.source);
        if (!parent)
            continue;
        for (int row = parent->rowCount() - 1; row >= 0; --row)
            if (parent->child(row)->data(PointerRole).toString() == key.pointer)
                parent->removeRow(row);
        if (parent->rowCount() == 0) {
            m_fields->removeRow(parent->row());
            m_sourceItems.remove(key.source);
        }
    }
    if (m_fields->rowCount() == 0) {
        m_autoSelected = 0;
        hideCrosshair();
        m_stack->setCurrentWidget(m_emptyLabel);
    }
    updateLegend();
    updateAxes();
    updateLinesItem();
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
    m_lines.clear();
    m_fields->clear();
    m_sourceItems.clear();
    m_autoSelected = 0;
    hideCrosshair();
    m_stack->setCurrentWidget(m_emptyLabel);
    updateLegend();
    updateAxes();
    updateLinesItem();
}

void ChartPanel::setPaused(bool paused)
{
    if (m_pauseAction->isChecked() != paused) {
        const QSignalBlocker blocker(m_pauseAction);
        m_pauseAction->setChecked(paused);
    }
    if (paused == m_paused)
        return;
    m_paused = paused;
    if (paused) {
        m_slideTimer.stop();
        m_viewFrom = m_shownFrom; // freeze the range shown
        m_viewTo = m_shownTo;
    }
    updateModeNote();
    if (!paused)
        refresh();
}

void ChartPanel::setWindowMs(int windowMs)
{
    const int index = m_windowBox->findData(windowMs);
    if (index >= 0 && index != m_windowBox->currentIndex())
        m_windowBox->setCurrentIndex(index);
    m_buffer->setWindowMs(windowMs);
    resetZoom(); // a new window is a new live view
}

void ChartPanel::setScaleMode(ScaleMode mode)
{
    const int index = m_scaleBox->findData(int(mode));
    if (index >= 0 && index != m_scaleBox->currentIndex())
        m_scaleBox->setCurrentIndex(index);
    if (mode == m_scaleMode)
        return;
    m_scaleMode = mode;
    m_manualLeft.reset();
    m_manualRight.reset();
    for (Line &line : m_lines)
        line.placed = false; // placed again from scratch
    m_yLeft->setLabelFormat(mode == ScaleMode::Normalised ? QStringLiteral("%.0f %%") : QStringLiteral("%.4g"));
    refresh();
    if (m_paused)
        updateAxes();
}

void ChartPanel::zoomTime(double factor, qint64 anchorMs)
{
    if (m_live && !m_paused) {
        m_viewFrom = m_shownFrom;
        m_viewTo = m_shownTo;
    }
    m_live = false;
    const double oldSpan = double(std::max<qint64>(1, m_viewTo - m_viewFrom));
    const double span = std::clamp(oldSpan * factor, double(MinZoomSpanMs), double(SeriesBuffer::MaxWindowMs));
    const double scale = span / oldSpan;
    const auto from = qint64(std::llround(double(anchorMs) - double(anchorMs - m_viewFrom) * scale));
    m_viewFrom = from;
    m_viewTo = from + qint64(std::llround(span));
    updateModeNote();
    const bool wasPaused = m_paused;
    m_paused = false; // render once with the new range
    refresh();
    m_paused = wasPaused;
}

void ChartPanel::panTime(qint64 deltaMs)
{
    if (m_live && !m_paused) {
        m_viewFrom = m_shownFrom;
        m_viewTo = m_shownTo;
    }
    m_live = false;
    m_viewFrom += deltaMs;
    m_viewTo += deltaMs;
    updateModeNote();
    const bool wasPaused = m_paused;
    m_paused = false;
    refresh();
    m_paused = wasPaused;
}

void ChartPanel::resetZoom()
{
    m_live = true;
    m_manualLeft.reset();
    m_manualRight.reset();
    if (m_paused) {
        const auto [from, to] = m_buffer->windowRange(QDateTime::currentMSecsSinceEpoch());
        m_viewFrom = from;
        m_viewTo = to;
        m_paused = false;
        refresh();
        m_paused = true;
    } else {
        refresh();
    }
    updateModeNote();
}

void ChartPanel::updateModeNote()
{
    QStringList notes;
    if (m_paused)
        notes << tr("paused");
    if (!m_live || m_manualLeft || m_manualRight)
        notes << tr("zoomed \u2014 double-click or Reset for live");
    m_modeNote->setText(notes.join(QStringLiteral(" \u00B7 ")));
}

void ChartPanel::handleZoomRequested(double factor, QPointF position, Qt::Orientation orientation)
{
    const QRectF plot = m_chart->plotArea();
    if (plot.width() <= 0 || plot.height() <= 0)
        return;
    if (orientation == Qt::Horizontal) {
        const double fraction = std::clamp((position.x() - plot.left()) / plot.width(), 0.0, 1.0);
        zoomTime(factor, m_shownFrom + qint64(std::llround(fraction * double(m_shownTo - m_shownFrom))));
        return;
    }
    const double fraction = std::clamp((position.y() - plot.top()) / plot.height(), 0.0, 1.0);
    auto zoom = [&](QValueAxis *axis, std::optional<std::pair<double, double>> &manual) {
        if (!axis->isVisible())
            return;
        const double low = axis->min();
        const double high = axis->max();
        const double anchor = high - fraction * (high - low);
        manual = std::make_pair(anchor - (anchor - low) * factor, anchor + (high - anchor) * factor);
    };
    zoom(m_yLeft, m_manualLeft);
    zoom(m_yRight, m_manualRight);
    updateAxes();
    updateModeNote();
}

void ChartPanel::handlePanRequested(double pixels, Qt::Orientation orientation)
{
    const QRectF plot = m_chart->plotArea();
    if (plot.width() <= 0 || plot.height() <= 0)
        return;
    if (orientation == Qt::Horizontal) {
        const double msPerPixel = double(m_shownTo - m_shownFrom) / plot.width();
        panTime(-qint64(std::llround(pixels * msPerPixel)));
        return;
    }
    auto pan = [&](QValueAxis *axis, std::optional<std::pair<double, double>> &manual) {
        if (!axis->isVisible())
            return;
        const double delta = pixels * (axis->max() - axis->min()) / plot.height();
        manual = std::make_pair(axis->min() + delta, axis->max() + delta);
    };
    pan(m_yLeft, m_manualLeft);
    pan(m_yRight, m_manualRight);
    updateAxes();
    updateModeNote();
}

int ChartPanel::plotColumns() const
{
    // Before the view is laid out on screen the plot area is a placeholder: read as if on a
    // typical plot width so that nothing is thrown away before the first real frame.
    const double width = m_chart->plotArea().width();
    return m_chartView->isVisible() && width >= 10 ? int(std::ceil(width)) : FallbackColumns;
}

int ChartPanel::freeColorIndex() const
{
    QList<int> used;
    for (const Line &line : m_lines)
        used.append(line.colorIndex);
    int index = 0;
    while (used.contains(index))
        ++index;
    return index;
}

void ChartPanel::refresh()
{
    if (m_paused)
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const auto [from, to] = m_live ? m_buffer->windowRange(now) : std::make_pair(m_viewFrom, m_viewTo);
    m_shownFrom = from;
    m_shownTo = to;
    m_refreshing = true;
    syncSeries();
    readPoints(from, to);
    assignAxes();
    updateAxes();
    drawLines();
    updateLegend();
    m_refreshing = false;
    readAgainIfNarrowed(); // the axes or the legend changed the plot's width
    if (m_hover)
        showCrosshairAt(*m_hover);
    if (!m_lines.isEmpty() && m_live)
        m_slideTimer.start(); // keep the window sliding when no data arrives
}

void ChartPanel::readAgainIfNarrowed()
{
    if (m_lines.isEmpty() || plotColumns() == m_readColumns)
        return;
    readPoints(m_shownFrom, m_shownTo);
    drawLines();
}

void ChartPanel::drawLines()
{
    for (auto it = m_lines.begin(); it != m_lines.end(); ++it) {
        Line &line = it.value();
        if (m_scaleMode != ScaleMode::Normalised || !line.hasRange) {
            line.drawn = line.points;
            continue;
        }
        const double span = line.high - line.low;
        line.drawn.clear();
        line.drawn.reserve(line.points.size());
        for (const QPointF &p : std::as_const(line.points))
            line.drawn.append(QPointF(p.x(), span > 0 ? (p.y() - line.low) / span * 100.0 : 50.0));
    }
    updateLinesItem();
}

void ChartPanel::syncSeries()
{
    const QList<SeriesKey> selected = m_buffer->selectedFields();
    bool changed = false;
    for (auto it = m_lines.begin(); it != m_lines.end();) {
        if (selected.contains(it.key())) {
            ++it;
            continue;
        }
        it = m_lines.erase(it);
        changed = true;
    }
    for (const SeriesKey &key : selected) {
        auto it = m_lines.find(key);
        if (it == m_lines.end()) {
            Line line;
            line.colorIndex = freeColorIndex();
            m_lines.insert(key, line);
            changed = true;
            qCDebug(lcCharts) << "showing" << seriesName(key);
        }
    }
    if (changed)
        updateFieldIcons();
}

void ChartPanel::readPoints(qint64 from, qint64 to)
{
    const int columns = plotColumns();
    m_readColumns = columns;
    for (auto it = m_lines.begin(); it != m_lines.end(); ++it) {
        Line &line = it.value();
        line.points = m_buffer->decimated(it.key(), from, to, columns);
        double low = std::numeric_limits<double>::infinity();
        double high = -low;
        for (const QPointF &p : std::as_const(line.points)) {
            if (p.x() < double(from) || p.x() > double(to))
                continue;
            low = std::min(low, p.y());
            high = std::max(high, p.y());
        }
        if (low > high) {
            // Only the points around an empty window: their values are what the line crosses it at.
            for (const QPointF &p : std::as_const(line.points)) {
                low = std::min(low, p.y());
                high = std::max(high, p.y());
            }
        }
        line.hasRange = low <= high;
        line.low = line.hasRange ? low : 0;
        line.high = line.hasRange ? high : 0;
    }
}

void ChartPanel::assignAxes()
{
    auto magnitude = [](const Line &line) {
        return line.hasRange ? std::max(std::abs(line.low), std::abs(line.high)) : 0.0;
    };
    double largest = 0;
    for (const Line &line : std::as_const(m_lines))
        largest = std::max(largest, magnitude(line));
    for (auto it = m_lines.begin(); it != m_lines.end(); ++it) {
        Line &line = it.value();
        bool right = false;
        if (m_scaleMode == ScaleMode::Auto && largest > 0 && line.hasRange) {
            const double m = magnitude(line);
            // Hysteresis: 10x decides the first placement; a placed line moves right only below
            // a twentieth and back left only above a fifth of the largest magnitude.
            if (!line.placed)
                right = m * RightAxisRatio < largest;
            else if (line.rightAxis)
                right = m * 5.0 < largest;
            else
                right = m * RightAxisRatio * 2.0 < largest;
            line.placed = true;
        }
        line.rightAxis = right;
    }
}

ChartPanel::AxisRange ChartPanel::planValueAxis(bool right) const
{
    const auto &manual = right ? m_manualRight : m_manualLeft;
    if (manual)
        return {manual->first, manual->second, 5};
    if (m_scaleMode == ScaleMode::Normalised && !right)
        return {-5, 105, 6};
    double low = std::numeric_limits<double>::infinity();
    double high = -low;
    for (const Line &line : std::as_const(m_lines)) {
        if (line.rightAxis != right || !line.hasRange)
            continue;
        low = std::min(low, line.low);
        high = std::max(high, line.high);
    }
    if (low > high)
        return {0, 1, 5};
    const double span = high - low;
    const double pad = span > 0 ? span * 0.05 : std::max(std::abs(high) * 0.05, 1.0);
    const double bottom = low >= 0 ? std::max(0.0, low - pad) : low - pad;
    const NiceRange nice = niceRange(bottom, high + pad, 5);
    return {nice.low, nice.high, nice.ticks};
}

ChartPanel::AxisPlan ChartPanel::planAxes()
{
    if (m_shownTo <= m_shownFrom) {
        const auto [from, to] = m_buffer->windowRange(QDateTime::currentMSecsSinceEpoch());
        m_shownFrom = from;
        m_shownTo = to;
    }
    AxisPlan plan;
    plan.from = m_shownFrom;
    plan.to = m_shownTo;
    // As many time labels as fit without eliding ("20:…" helps nobody): one per ~110 px.
    plan.xTicks = std::clamp(int(m_chart->plotArea().width() / 110.0) + 1, 2, 7);
    plan.left = planValueAxis(false);
    plan.rightVisible = std::any_of(m_lines.cbegin(), m_lines.cend(), [](const Line &l) { return l.rightAxis; });
    if (plan.rightVisible)
        plan.right = planValueAxis(true);
    return plan;
}

void ChartPanel::applyAxes(const AxisPlan &plan)
{
    // Every setRange()/setTickCount() re-lays out the axis labels (rich text in Qt Charts):
    // touch an axis only when it changes.
    if (m_xAxis->min().toMSecsSinceEpoch() != plan.from || m_xAxis->max().toMSecsSinceEpoch() != plan.to)
        m_xAxis->setRange(QDateTime::fromMSecsSinceEpoch(plan.from), QDateTime::fromMSecsSinceEpoch(plan.to));
    const QString format = plan.to - plan.from <= 20'000 ? QStringLiteral("HH:mm:ss.z") : QStringLiteral("HH:mm:ss");
    if (m_xAxis->format() != format)
        m_xAxis->setFormat(format);
    if (m_xAxis->tickCount() != plan.xTicks)
        m_xAxis->setTickCount(plan.xTicks);
    auto apply = [](QValueAxis *axis, const AxisRange &range) {
        if (axis->min() != range.low || axis->max() != range.high)
            axis->setRange(range.low, range.high);
        if (axis->tickCount() != range.ticks)
            axis->setTickCount(range.ticks);
    };
    apply(m_yLeft, plan.left);
    if (m_yRight->isVisible() != plan.rightVisible)
        m_yRight->setVisible(plan.rightVisible);
    if (plan.rightVisible)
        apply(m_yRight, plan.right);
}

void ChartPanel::updateAxes()
{
    applyAxes(planAxes());
    m_linesItem->setRanges(double(m_shownFrom), double(m_shownTo), m_yLeft->min(), m_yLeft->max(), m_yRight->min(),
                           m_yRight->max());
}

void ChartPanel::updateLinesItem()
{
    QList<ChartLinesItem::Line> lines;
    for (const SeriesKey &key : m_buffer->selectedFields()) {
        const auto it = m_lines.constFind(key);
        if (it == m_lines.constEnd())
            continue;
        lines.append({it->drawn, ChartPalette::pen(it->colorIndex), it->rightAxis});
    }
    m_linesItem->setLines(std::move(lines));
}

void ChartPanel::updateLegend()
{
    const QList<SeriesKey> selected = m_buffer->selectedFields();
    QList<ChartLegend::Entry> entries;
    for (const SeriesKey &key : selected) {
        const auto it = m_lines.constFind(key);
        if (it == m_lines.constEnd())
            continue;
        ChartLegend::Entry entry;
        entry.color = ChartPalette::color(it->colorIndex);
        entry.style = ChartPalette::style(it->colorIndex);
        entry.name = legendName(key, selected);
        entry.toolTip = key.source + QLatin1Char(' ') + key.pointer;
        entry.rightAxis = it->rightAxis;
        entries.append(entry);
    }
    m_legend->setEntries(entries);
}

void ChartPanel::updateFieldIcons()
{
    for (int s = 0; s < m_fields->rowCount(); ++s) {
        QStandardItem *source = m_fields->item(s);
        for (int f = 0; f < source->rowCount(); ++f) {
            QStandardItem *item = source->child(f);
            const SeriesKey key{item->data(SourceRole).toString(), item->data(PointerRole).toString()};
            const auto it = m_lines.constFind(key);
            const QSignalBlocker blocker(m_fields); // icons are not check changes
            item->setIcon(it == m_lines.constEnd() ? QIcon() : swatch(it->colorIndex));
        }
    }
    m_fieldView->viewport()->update();
}

QString ChartPanel::readoutText(qint64 xMs) const
{
    QStringList lines{QDateTime::fromMSecsSinceEpoch(xMs).toString(QStringLiteral("HH:mm:ss.zzz"))};
    const QList<SeriesKey> selected = m_buffer->selectedFields();
    for (const SeriesKey &key : selected) {
        if (!m_lines.contains(key))
            continue;
        const std::optional<QPointF> value = m_buffer->valueAt(key, xMs);
        lines << legendName(key, selected) + QStringLiteral(": ")
                + (value ? formatValue(value->y()) : QStringLiteral("\u2014"));
    }
    return lines.join(QLatin1Char('\n'));
}

void ChartPanel::showCrosshairAt(QPointF position)
{
    const QRectF plot = m_chart->plotArea();
    if (!plot.contains(position) || m_lines.isEmpty() || m_shownTo <= m_shownFrom) {
        hideCrosshair();
        return;
    }
    m_hover = position;
    const double fraction = (position.x() - plot.left()) / plot.width();
    const qint64 t = m_shownFrom + qint64(std::llround(fraction * double(m_shownTo - m_shownFrom)));
    m_crosshair->setLine(position.x(), plot.top(), position.x(), plot.bottom());
    m_crosshair->show();

    const QList<SeriesKey> selected = m_buffer->selectedFields();
    QString html = QStringLiteral("<b>") + QDateTime::fromMSecsSinceEpoch(t).toString(QStringLiteral("HH:mm:ss.zzz"))
        + QStringLiteral("</b><table cellspacing='0' cellpadding='1'>");
    for (const SeriesKey &key : selected) {
        const auto it = m_lines.constFind(key);
        if (it == m_lines.constEnd())
            continue;
        const std::optional<QPointF> value = m_buffer->valueAt(key, t);
        html += QStringLiteral("<tr><td><span style='color:%1'>\u25A0</span> %2</td><td align='right'>&nbsp;%3</td></tr>")
                    .arg(ChartPalette::color(it->colorIndex).name(), legendName(key, selected).toHtmlEscaped(),
                         value ? formatValue(value->y()) : QStringLiteral("\u2014"));
    }
    html += QStringLiteral("</table>");
    m_readout->setText(html);
    m_readout->adjustSize();
    const QPoint viewPos = m_chartView->mapFromScene(m_chart->mapToScene(position));
    QPoint at = viewPos + QPoint(14, 14);
    if (at.x() + m_readout->width() > m_chartView->width())
        at.setX(viewPos.x() - 14 - m_readout->width());
    if (at.y() + m_readout->height() > m_chartView->height())
        at.setY(std::max(0, m_chartView->height() - m_readout->height()));
    m_readout->move(std::max(0, at.x()), std::max(0, at.y()));
    m_readout->show();
    m_readout->raise();
}

void ChartPanel::hideCrosshair()
{
    m_hover.reset();
    m_crosshair->hide();
    m_readout->hide();
}

bool ChartPanel::isCrosshairVisible() const
{
    return m_crosshair->isVisible() && !m_readout->isHidden();
}

bool ChartPanel::exportPng(const QString &path, QString *error)
{
    const QPixmap pixmap = m_stack->currentWidget()->grab();
    if (pixmap.isNull() || !pixmap.save(path, "PNG")) {
        if (error)
            *error = tr("could not write a PNG to %1").arg(path);
        return false;
    }
    return true;
}

bool ChartPanel::exportCsv(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        if (error)
            *error = tr("could not write %1: %2").arg(path, file.errorString());
        return false;
    }
    QByteArray out = "time,epoch_ms,source,field,value\n";
    for (const SeriesKey &key : m_buffer->selectedFields()) {
        const auto it = m_lines.constFind(key);
        if (it == m_lines.constEnd())
            continue;
        const QByteArray prefix = ',' + csvField(key.source).toUtf8() + ',' + csvField(key.pointer).toUtf8() + ',';
        for (const QPointF &p : it->points) {
            if (p.x() < double(m_shownFrom) || p.x() > double(m_shownTo))
                continue;
            const auto ms = qint64(p.x());
            out += QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1() + ','
                + QByteArray::number(ms) + prefix + QByteArray::number(p.y(), 'g', 17) + '\n';
        }
    }
    file.write(out);
    if (!file.commit()) {
        if (error)
            *error = tr("could not write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}
