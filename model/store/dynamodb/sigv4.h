#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <utility>

/// AWS Signature Version 4 (HMAC-SHA256), as DynamoDB and every other AWS JSON service expect it.
///
/// The steps are public so that tests can check each against AWS's published test suite: the
/// canonical request, the string to sign, the signing key and the Authorization header.
namespace SigV4 {

using Header = std::pair<QByteArray, QByteArray>;

/// An HTTP request as it is signed. `path` is the request path unencoded ("/example space/"),
/// `query` the raw query text after '?' (may contain %XX escapes), `headers` in any order and
/// case (repeated names are joined with commas, as HTTP does).
struct Request
{
    QByteArray method = "POST";
    QByteArray path = "/";
    QByteArray query;
    QList<Header> headers;
    QByteArray payload;
    /// Remove "." and ".." segments and repeated slashes (every service but S3 does).
    bool normalizePath = true;
};

/// The secret parts of a signature. Never logged: only accessKeyId may appear in messages.
struct Key
{
    QString accessKeyId;
    QString secretAccessKey;
    QString sessionToken; ///< empty for long-term credentials
};

/// Where a signature is valid: region, service and the request time.
struct Scope
{
    QString region;
    QString service;
    QDateTime time; ///< UTC
};

/// "20150830T123600Z".
QByteArray amzDate(const QDateTime &utc);
/// The path percent-encoded per segment (RFC 3986 unreserved characters stay), normalized when
/// asked.
QByteArray canonicalUri(const QByteArray &path, bool normalize);
/// Query parameters decoded, re-encoded, sorted by name then value.
QByteArray canonicalQuery(const QByteArray &query);
/// Lowercase names, trimmed values with inner runs of white space folded to one space, sorted;
/// returns the header block (each line ends with '\n') and sets `signedHeaders` ("a;b;c").
QByteArray canonicalHeaders(const QList<Header> &headers, QByteArray *signedHeaders);
QByteArray canonicalRequest(const Request &request);
/// "20150830/us-east-1/service/aws4_request".
QByteArray credentialScope(const Scope &scope);
QByteArray stringToSign(const QByteArray &canonicalRequest, const Scope &scope);
/// The derived key: HMAC chain over date, region, service and "aws4_request".
QByteArray signingKey(const QString &secretAccessKey, const Scope &scope);
/// Lowercase hex of HMAC-SHA256(signing key, string to sign).
QByteArray signature(const QString &secretAccessKey, const QByteArray &stringToSign,
                     const Scope &scope);
/// Lowercase hex SHA-256.
QByteArray sha256Hex(const QByteArray &data);

/// Signs `request` in place: adds X-Amz-Date and, with a session token, X-Amz-Security-Token
/// (signed unless `signSecurityToken` is false, as some services want), and returns the value
/// of the Authorization header (also added to the headers).
QByteArray sign(Request &request, const Key &key, const Scope &scope,
                bool signSecurityToken = true);

} // namespace SigV4
