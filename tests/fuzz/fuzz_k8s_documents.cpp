// libFuzzer target for every pure Kubernetes document parser: LIST pages, Tables, Status objects,
// exec plugin output, discovery documents (classic and aggregated), pod status and the k8s:
// source syntax. Invariants: no crash, no hang, and text meant for people is escaped (no ESC).

#include "exec_credential.h"
#include "k8s_discovery.h"
#include "k8s_source_spec.h"
#include "k8s_status.h"
#include "list_decoder.h"
#include "pod_status.h"
#include "table_decoder.h"

#include <QUrl>

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const ListPage page = parseList(bytes);
    if (page.error.contains(QChar(0x1b)))
        std::abort();
    const Table table = parseTable(bytes);
    if (table.error.contains(QChar(0x1b)))
        std::abort();
    if (const auto status = K8sStatus::parse(bytes); status && status->message.contains(QChar(0x1b)))
        std::abort();
    const K8sError error = K8sStatus::errorFor(400, QStringLiteral("Bad Request"), bytes, QStringLiteral("GET"), QStringLiteral("/x"));
    if (error.message.contains(QChar(0x1b)))
        std::abort();
    QString credentialError;
    (void)parseExecCredential(bytes, QStringLiteral("client.authentication.k8s.io/v1"), &credentialError);
    (void)K8sDiscovery::parseResourceList(bytes);
    (void)K8sDiscovery::parseAggregated(bytes);
    (void)PodStatusInfo::parse(bytes);
    QString specError;
    (void)K8sSourceSpec::parse(QUrl(QString::fromUtf8(bytes.left(2048))), &specError);
    return 0;
}
