#pragma once

#include "k8s_exec_spec.h"

#include <QDialog>
#include <QList>

class K8sClient;
class QLabel;
class QLineEdit;
class QTableWidget;

/// "Port forward…" for a pod or a service: lists the declared ports (a pod's containerPorts, a
/// service's ports mapped to their target ports), each with a checkbox and a local port (the same
/// number by default; 0 = any free port), plus a field for other "LOCAL:REMOTE" pairs. A service
/// is forwarded to one of its Running pods, found by its selector (as `kubectl port-forward
/// svc/NAME` does); a named targetPort is resolved on that pod. OK gives spec(): a Forward spec
/// for the pod, or nothing when no port was chosen.
class PortForwardDialog : public QDialog
{
    Q_OBJECT
public:
    /// `resourcePlural` is "pods" or "services"; `objectJson` the object (or its Table row).
    PortForwardDialog(K8sClient *client, const QString &context, const QString &namespaceName,
                      const QString &resourcePlural, const QString &name, const QByteArray &objectJson,
                      QWidget *parent = nullptr);
    ~PortForwardDialog() override;

    /// The forward to start; nullopt while no port is chosen or the pod is not resolved yet.
    std::optional<K8sExecSpec> spec(QString *error = nullptr) const;
    /// The pod the ports go to (the service's pod once resolved).
    QString podName() const { return m_pod; }
    QTableWidget *portsTable() const { return m_ports; }
    QLineEdit *extraEdit() const { return m_extra; }

    void accept() override;

private:
    struct Row
    {
        QString label;  ///< "http (8080/TCP, container app)"
        int remote = 0; ///< 0 until a named port is resolved
        QString remoteName;
    };
    void buildUi();
    void fillPorts(const QList<Row> &rows);
    void resolveServicePod(const QString &selector, const QList<Row> &rows);
    void setStatus(const QString &text);

    K8sClient *m_client;
    QString m_context;
    QString m_namespace;
    QString m_pod;
    QTableWidget *m_ports = nullptr;
    QLineEdit *m_extra = nullptr;
    QLabel *m_status = nullptr;
};
