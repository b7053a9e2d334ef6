#include "source_edit_dialog.h"

#include "source_input.h"
#include "source_list_model.h"
#include "source_name.h"
#include "source_options_form.h"
#include "status_line.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QVBoxLayout>

SourceEditDialog::SourceEditDialog(SourceListModel *model, const TransportRegistry *registry, int row,
                                   QWidget *parent)
    : QDialog(parent)
    , m_model(model)
    , m_registry(registry)
    , m_row(model->index(row, 0))
    , m_name(new QLineEdit(this))
    , m_url(new QLineEdit(this))
    , m_transport(new QComboBox(this))
    , m_options(new SourceOptionsForm(this))
    , m_status(new StatusLine(this))
    , m_applyButton(nullptr)
{
    setWindowTitle(tr("Edit source"));
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // the form fits any width we allow
    auto *content = new QWidget(scroll);
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addWidget(buildIdentityRows());
    contentLayout->addWidget(m_options);
    contentLayout->addStretch(1);
    scroll->setWidget(content);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_applyButton = buttons->button(QDialogButtonBox::Ok);
    m_applyButton->setText(tr("Apply and reconnect"));
    connect(buttons, &QDialogButtonBox::accepted, this, &SourceEditDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SourceEditDialog::reject);

    m_status->setObjectName(QStringLiteral("editStatus"));
    m_status->setHint(tr("The source reconnects with the new settings; its counters stay."));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(m_model, &QAbstractItemModel::rowsRemoved, this, [this] {
        if (!m_row.isValid()) {
            m_status->showMessage(tr("This source was removed from the list"), StatusLine::Kind::Error);
            m_applyButton->setEnabled(false);
        }
    });
    load();
    // Room for the whole form without scrolling where the screen allows; the scroll area is for
    // small screens.
    const QSize form = content->sizeHint();
    const int frame = scroll->verticalScrollBar()->sizeHint().width() + 2 * layout->contentsMargins().left();
    resize(std::max(form.width() + frame, 560),
           std::min(form.height() + m_status->sizeHint().height() + buttons->sizeHint().height() + 3 * frame, 680));
}

SourceEditDialog::~SourceEditDialog() = default;

QWidget *SourceEditDialog::buildIdentityRows()
{
    auto *rows = new QWidget(this);
    auto *form = new QFormLayout(rows);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_name->setObjectName(QStringLiteral("nameEdit"));
    m_name->setClearButtonEnabled(true);
    m_name->setToolTip(tr("Shown in the sources list, the log and the chart; empty: named after the URL"));
    m_url->setObjectName(QStringLiteral("editUrl"));
    m_transport->setObjectName(QStringLiteral("editTransport"));
    SourceInput::fillTransportBox(m_transport, m_registry);
    form->addRow(tr("&Name"), m_name);
    form->addRow(tr("&URL"), m_url);
    form->addRow(tr("&Transport"), m_transport);
    connect(m_url, &QLineEdit::textChanged, this, &SourceEditDialog::updateScheme);
    return rows;
}

void SourceEditDialog::load()
{
    const TransportConfig config = m_model->configAt(row());
    const Transport *transport = m_model->transportAt(row());
    m_name->setText(config.sourceId);
    m_name->setPlaceholderText(transport ? tr("automatic: %1").arg(shortSourceName(transport->sourceId()))
                                         : QString());
    // The URL as given, secrets included: this is the user's own configuration, in their window.
    m_url->setText(config.url.toString());
    SourceInput::selectTransport(m_transport, m_model->transportIdAt(row()));
    m_options->setConfig(config);
    updateScheme();
}

void SourceEditDialog::updateScheme()
{
    m_options->setScheme(QUrl(m_url->text().trimmed()).scheme().toLower());
}

QString SourceEditDialog::errorText() const
{
    return m_status->kind() == StatusLine::Kind::Error ? m_status->message() : QString();
}

bool SourceEditDialog::apply()
{
    if (!m_row.isValid()) {
        m_status->showMessage(tr("This source was removed from the list"), StatusLine::Kind::Error);
        return false;
    }
    TransportConfig config = m_model->configAt(row());
    QString error;
    const QString transportId = m_transport->currentData().toString();
    if (!SourceInput::parseUrl(m_url->text(), transportId, &config.url, &error)
        || !m_options->applyTo(&config, &error)) {
        m_status->showMessage(error, StatusLine::Kind::Error);
        return false;
    }
    config.transportId = transportId;
    config.sourceId = m_name->text().trimmed();
    if (!m_model->updateSource(row(), config, &error)) {
        m_status->showMessage(error, StatusLine::Kind::Error);
        return false;
    }
    m_status->clearMessage();
    return true;
}

void SourceEditDialog::accept()
{
    if (apply())
        QDialog::accept();
}
