#include "model/store/dynamodb/sigv4.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

#include <algorithm>

namespace SigV4 {

namespace {

bool isUnreserved(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

/// RFC 3986 encoding with uppercase hex, as SigV4 requires.
QByteArray encode(const QByteArray &bytes)
{
    static const char hex[] = "0123456789ABCDEF";
    QByteArray out;
    out.reserve(bytes.size());
    for (char c : bytes) {
        if (isUnreserved(c)) {
            out += c;
        } else {
            const auto u = static_cast<unsigned char>(c);
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 0x0f];
        }
    }
    return out;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/// Decodes %XX escapes; a '%' not followed by two hex digits stays as it is. '+' is a plus.
QByteArray decode(const QByteArray &text)
{
    QByteArray out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hexValue(text[i + 1]) >= 0 &&
            hexValue(text[i + 2]) >= 0) {
            out += char(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

QByteArray hmac(const QByteArray &key, const QByteArray &message)
{
    return QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256);
}

/// Trims and folds every run of white space (spaces, tabs, line breaks) to one space.
QByteArray foldSpaces(const QByteArray &value)
{
    QByteArray out;
    out.reserve(value.size());
    bool pendingSpace = false;
    for (char c : value) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            pendingSpace = !out.isEmpty();
            continue;
        }
        if (pendingSpace)
            out += ' ';
        pendingSpace = false;
        out += c;
    }
    return out;
}

} // namespace

QByteArray amzDate(const QDateTime &utc)
{
    return utc.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")).toLatin1();
}

QByteArray canonicalUri(const QByteArray &path, bool normalize)
{
    if (path.isEmpty())
        return "/";
    QList<QByteArray> segments = path.split('/');
    // split() of "/a/b" gives "", "a", "b"; of "/a/" gives "", "a", "".
    const bool trailingSlash = path.endsWith('/');
    QList<QByteArray> kept;
    if (normalize) {
        for (const QByteArray &segment : segments) {
            if (segment.isEmpty() || segment == ".")
                continue;
            if (segment == "..") {
                if (!kept.isEmpty())
                    kept.removeLast();
                continue;
            }
            kept << segment;
        }
        QByteArray out = "/";
        for (qsizetype i = 0; i < kept.size(); ++i) {
            if (i > 0)
                out += '/';
            out += encode(kept[i]);
        }
        if (trailingSlash && !kept.isEmpty())
            out += '/';
        return out;
    }
    QByteArray out;
    for (qsizetype i = 0; i < segments.size(); ++i) {
        if (i > 0)
            out += '/';
        // ".." and "." are unreserved text here: kept as they are.
        out += encode(segments[i]);
    }
    return out.isEmpty() ? QByteArray("/") : out;
}

QByteArray canonicalQuery(const QByteArray &query)
{
    if (query.isEmpty())
        return {};
    QList<std::pair<QByteArray, QByteArray>> pairs;
    for (const QByteArray &part : query.split('&')) {
        if (part.isEmpty())
            continue;
        const qsizetype eq = part.indexOf('=');
        const QByteArray name = eq < 0 ? part : part.left(eq);
        const QByteArray value = eq < 0 ? QByteArray() : part.mid(eq + 1);
        pairs.append({encode(decode(name)), encode(decode(value))});
    }
    std::sort(pairs.begin(), pairs.end());
    QByteArray out;
    for (const auto &[name, value] : pairs) {
        if (!out.isEmpty())
            out += '&';
        out += name + '=' + value;
    }
    return out;
}

QByteArray canonicalHeaders(const QList<Header> &headers, QByteArray *signedHeaders)
{
    // Names in first-seen order of their sorted position; repeated names keep their order.
    QList<std::pair<QByteArray, QByteArray>> joined;
    for (const Header &h : headers) {
        const QByteArray name = h.first.trimmed().toLower();
        const QByteArray value = foldSpaces(h.second);
        auto it = std::find_if(joined.begin(), joined.end(),
                               [&](const auto &p) { return p.first == name; });
        if (it == joined.end())
            joined.append({name, value});
        else
            it->second += ',' + value;
    }
    std::stable_sort(joined.begin(), joined.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    QByteArray block;
    QByteArray names;
    for (const auto &[name, value] : joined) {
        block += name + ':' + value + '\n';
        if (!names.isEmpty())
            names += ';';
        names += name;
    }
    if (signedHeaders)
        *signedHeaders = names;
    return block;
}

QByteArray sha256Hex(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

QByteArray canonicalRequest(const Request &request)
{
    QByteArray signedHeaders;
    const QByteArray headers = canonicalHeaders(request.headers, &signedHeaders);
    return request.method + '\n' + canonicalUri(request.path, request.normalizePath) + '\n' +
           canonicalQuery(request.query) + '\n' + headers + '\n' + signedHeaders + '\n' +
           sha256Hex(request.payload);
}

QByteArray credentialScope(const Scope &scope)
{
    return scope.time.toUTC().toString(QStringLiteral("yyyyMMdd")).toLatin1() + '/' +
           scope.region.toUtf8() + '/' + scope.service.toUtf8() + "/aws4_request";
}

QByteArray stringToSign(const QByteArray &canonicalRequest, const Scope &scope)
{
    return "AWS4-HMAC-SHA256\n" + amzDate(scope.time) + '\n' + credentialScope(scope) + '\n' +
           sha256Hex(canonicalRequest);
}

QByteArray signingKey(const QString &secretAccessKey, const Scope &scope)
{
    const QByteArray date = scope.time.toUTC().toString(QStringLiteral("yyyyMMdd")).toLatin1();
    QByteArray key = hmac("AWS4" + secretAccessKey.toUtf8(), date);
    key = hmac(key, scope.region.toUtf8());
    key = hmac(key, scope.service.toUtf8());
    return hmac(key, "aws4_request");
}

QByteArray signature(const QString &secretAccessKey, const QByteArray &stringToSign,
                     const Scope &scope)
{
    return hmac(signingKey(secretAccessKey, scope), stringToSign).toHex();
}

QByteArray sign(Request &request, const Key &key, const Scope &scope, bool signSecurityToken)
{
    auto removeHeader = [&](const QByteArray &lowerName) {
        request.headers.removeIf([&](const Header &h) { return h.first.toLower() == lowerName; });
    };
    removeHeader("authorization");
    removeHeader("x-amz-date");
    removeHeader("x-amz-security-token");
    request.headers.append({"X-Amz-Date", amzDate(scope.time)});
    if (!key.sessionToken.isEmpty() && signSecurityToken)
        request.headers.append({"X-Amz-Security-Token", key.sessionToken.toUtf8()});
    QByteArray signedHeaders;
    canonicalHeaders(request.headers, &signedHeaders);
    const QByteArray toSign = stringToSign(canonicalRequest(request), scope);
    const QByteArray authorization = "AWS4-HMAC-SHA256 Credential=" + key.accessKeyId.toUtf8() +
                                     '/' + credentialScope(scope) +
                                     ", SignedHeaders=" + signedHeaders +
                                     ", Signature=" + signature(key.secretAccessKey, toSign, scope);
    if (!key.sessionToken.isEmpty() && !signSecurityToken)
        request.headers.append({"X-Amz-Security-Token", key.sessionToken.toUtf8()});
    request.headers.append({"Authorization", authorization});
    return authorization;
}

} // namespace SigV4
