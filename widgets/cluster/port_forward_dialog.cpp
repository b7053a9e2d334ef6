#include "port_forward_dialog.h"

#include "k8s_client.h"
#include "k8s_object_json.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QNetworkReply>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QUrlQuery>
#include <QVBoxLayout>

namespace {

enum PortColumn { UseColumn, PortColumn, LocalColumn };

/// The first Running pod of a PodList (else the first pod), as JSON.
QJsonObject pickPod(const QByteArray &listJson)
{
    const QJsonArray items = QJsonDocument::fromJson(listJson).object().value(QLatin1String("items")).toArray();
    for (const QJsonValue &item : items) {
        const QJsonObject pod = item.toObject();
        if (pod.value(QLatin1String("status")).toObject().value(QLatin1String("phase")).toString() == u"Running")
            return pod;
    }
    return items.isEmpty() ? QJsonObject() : items.first().toObject();
}

} // namespace

PortForwardDialog::PortForwardDialog(K8sClient *client, const QString &context, const QString &namespaceName,
                                     const QString &resourcePlural, const QString &name, const QByteArray &objectJson,
                                     QWidget *parent)
    : QDialog(parent), m_client(client), m_context(context), m_namespace(namespaceName)
{
    setWindowTitle(tr("Port forward %1/%2").arg(resourcePlural == u"services" ? QStringLiteral("svc") : QStringLiteral("pod"),
                                                name));
    buildUi();
    QList<Row> rows;
    if (resourcePlural == u"services") {
        for (const K8sObjectJson::ServicePort &p : K8sObjectJson::servicePorts(objectJson)) {
            const QString target = p.targetPortName.isEmpty() ? QString::number(p.targetPort) : p.targetPortName;
            rows << Row{tr("%1 (service port %2 → %3)").arg(p.name.isEmpty() ? QStringLiteral("port") : p.name)
                            .arg(p.port).arg(target),
                        p.targetPort, p.targetPortName};
        }
        resolveServicePod(K8sObjectJson::selector(objectJson), rows);
    } else {
        m_pod = name;
        for (const K8sObjectJson::ContainerPort &p : K8sObjectJson::containerPorts(objectJson))
            rows << Row{tr("%1 (%2/%3, container %4)").arg(p.name.isEmpty() ? QStringLiteral("port") : p.name)
                            .arg(p.port).arg(p.protocol, p.container),
                        p.port, QString()};
        fillPorts(rows);
        setStatus(rows.isEmpty() ? tr("The pod declares no ports: type LOCAL:REMOTE pairs below.")
                                 : tr("Forwarding to pod %1 in %2, on 127.0.0.1.").arg(m_pod, m_namespace));
    }
}

PortForwardDialog::~PortForwardDialog() = default;

void PortForwardDialog::buildUi()
{
    auto *layout = new QVBoxLayout(this);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("portForwardStatus"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    layout->addWidget(m_status);
    m_ports = new QTableWidget(0, 3, this);
    m_ports->setHorizontalHeaderLabels({tr("Forward"), tr("Port"), tr("Local port")});
    m_ports->horizontalHeader()->setSectionResizeMode(PortColumn, QHeaderView::Stretch);
    m_ports->verticalHeader()->hide();
    layout->addWidget(m_ports);
    auto *form = new QFormLayout;
    m_extra = new QLineEdit(this);
    m_extra->setPlaceholderText(tr("e.g. 8080:80, 9090 (LOCAL:REMOTE; LOCAL 0 = any free port)"));
    form->addRow(tr("Other ports:"), m_extra);
    layout->addLayout(form);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Start forwarding"));
    connect(buttons, &QDialogButtonBox::accepted, this, &PortForwardDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &PortForwardDialog::reject);
    layout->addWidget(buttons);
    resize(560, 320);
}

void PortForwardDialog::fillPorts(const QList<Row> &rows)
{
    m_ports->setRowCount(int(rows.size()));
    for (int i = 0; i < rows.size(); ++i) {
        auto *use = new QTableWidgetItem;
        use->setCheckState(rows[i].remote > 0 ? Qt::Checked : Qt::Unchecked);
        use->setFlags(rows[i].remote > 0 ? Qt::ItemIsUserCheckable | Qt::ItemIsEnabled : Qt::NoItemFlags);
        m_ports->setItem(i, UseColumn, use);
        auto *label = new QTableWidgetItem(rows[i].label);
        label->setData(Qt::UserRole, rows[i].remote);
        label->setFlags(Qt::ItemIsEnabled);
        m_ports->setItem(i, PortColumn, label);
        auto *local = new QSpinBox(m_ports);
        local->setRange(0, 65535);
        local->setSpecialValueText(tr("any"));
        local->setValue(rows[i].remote);
        m_ports->setCellWidget(i, LocalColumn, local);
    }
}

void PortForwardDialog::resolveServicePod(const QString &selector, const QList<Row> &rows)
{
    fillPorts(rows);
    if (selector.isEmpty() || !m_client) {
        setStatus(tr("The service has no selector: there is no pod to forward to."));
        return;
    }
    setStatus(tr("Finding a running pod for %1…").arg(selector));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("labelSelector"), selector);
    m_client->get(QStringLiteral("/api/v1/namespaces/%1/pods").arg(m_namespace), query, "application/json", false, this,
                  [this, rows, selector](QNetworkReply *reply, const std::optional<K8sError> &error) {
                      if (!reply) {
                          setStatus(error ? error->message : tr("cannot list pods"));
                          return;
                      }
                      connect(reply, &QNetworkReply::finished, this, [this, reply, rows, selector] {
                          reply->deleteLater();
                          const QByteArray body = reply->readAll();
                          if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200) {
                              setStatus(K8sClient::errorFor(reply, body).message);
                              return;
                          }
                          const QJsonObject pod = pickPod(body);
                          if (pod.isEmpty()) {
                              setStatus(tr("No pod matches %1.").arg(selector));
                              return;
                          }
                          m_pod = pod.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString();
                          const QByteArray podJson = QJsonDocument(pod).toJson(QJsonDocument::Compact);
                          QList<Row> resolved = rows;
                          for (Row &row : resolved) {
                              for (const K8sObjectJson::ContainerPort &p : K8sObjectJson::containerPorts(podJson))
                                  if (!row.remoteName.isEmpty() && p.name == row.remoteName)
                                      row.remote = p.port;
                          }
                          fillPorts(resolved);
                          setStatus(tr("Forwarding to pod %1 (%2) in %3, on 127.0.0.1.")
                                        .arg(m_pod, K8sObjectJson::phase(podJson), m_namespace));
                      });
                  });
}

void PortForwardDialog::setStatus(const QString &text)
{
    m_status->setText(text);
}

std::optional<K8sExecSpec> PortForwardDialog::spec(QString *error) const
{
    if (m_pod.isEmpty()) {
        if (error)
            *error = tr("no pod to forward to yet");
        return std::nullopt;
    }
    QStringList mappings;
    for (int i = 0; i < m_ports->rowCount(); ++i) {
        const int remote = m_ports->item(i, PortColumn)->data(Qt::UserRole).toInt();
        if (m_ports->item(i, UseColumn)->checkState() != Qt::Checked || remote <= 0)
            continue;
        const auto *spin = qobject_cast<QSpinBox *>(m_ports->cellWidget(i, LocalColumn));
        mappings << QStringLiteral("%1:%2").arg(spin ? spin->value() : remote).arg(remote);
    }
    for (const QString &part : m_extra->text().split(u',', Qt::SkipEmptyParts))
        if (!part.trimmed().isEmpty())
            mappings << part.trimmed();
    if (mappings.isEmpty()) {
        if (error)
            *error = tr("choose at least one port");
        return std::nullopt;
    }
    QString url = QStringLiteral("k8s:forward/%1/%2?namespace=%3").arg(m_pod, mappings.join(u','), m_namespace);
    if (!m_context.isEmpty())
        url += QStringLiteral("&context=") + m_context;
    QString parseError;
    std::optional<K8sExecSpec> spec = K8sExecSpec::parse(QUrl(url), &parseError);
    if (!spec && error)
        *error = parseError;
    return spec;
}

void PortForwardDialog::accept()
{
    QString error;
    if (!spec(&error)) {
        QMessageBox::warning(this, windowTitle(), error);
        return;
    }
    QDialog::accept();
}
