// AWS Signature Version 4 against the published AWS SigV4 test suite (credentials AKIDEXAMPLE,
// region us-east-1, service "service", 2015-08-30T12:36:00Z): for each vector the canonical
// request, the string to sign and the Authorization header must match byte for byte.

#include "model/store/dynamodb/sigv4.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString kAccessKey = u"AKIDEXAMPLE"_s;
const QString kSecret = u"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"_s;
const QByteArray kLongToken =
    "AQoDYXdzEPT//////////"
    "wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8Y"
    "UuwthAx7mSEI/qkPpKPi/"
    "kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8Y"
    "QcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+"
    "scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR"
    "/oLxBA==";
const QByteArray kEmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const QByteArray kScopeLine = "20150830/us-east-1/service/aws4_request";

SigV4::Scope suiteScope()
{
    return SigV4::Scope{u"us-east-1"_s, u"service"_s,
                        QDateTime(QDate(2015, 8, 30), QTime(12, 36, 0), Qt::UTC)};
}

/// Parses a request as the suite writes it: "METHOD TARGET HTTP/1.1", header lines (a line that
/// starts with white space continues the previous value), a blank line, the body.
SigV4::Request parseRequest(const QByteArray &text)
{
    SigV4::Request r;
    const qsizetype blank = text.indexOf("\n\n");
    const QByteArray head = blank < 0 ? text : text.left(blank);
    r.payload = blank < 0 ? QByteArray() : text.mid(blank + 2);
    QList<QByteArray> lines = head.split('\n');
    const QByteArray requestLine = lines.takeFirst();
    const qsizetype sp1 = requestLine.indexOf(' ');
    const qsizetype sp2 = requestLine.lastIndexOf(' ');
    r.method = requestLine.left(sp1);
    const QByteArray target = requestLine.mid(sp1 + 1, sp2 - sp1 - 1);
    const qsizetype q = target.indexOf('?');
    r.path = q < 0 ? target : target.left(q);
    r.query = q < 0 ? QByteArray() : target.mid(q + 1);
    for (const QByteArray &line : lines) {
        if (line.isEmpty())
            continue;
        if ((line.startsWith(' ') || line.startsWith('\t')) && !r.headers.isEmpty()) {
            r.headers.last().second += '\n' + line;
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        r.headers.append({line.left(colon), line.mid(colon + 1)});
    }
    return r;
}

QByteArray creq(const QByteArray &method, const QByteArray &uri, const QByteArray &query,
                const QByteArray &headers, const QByteArray &signedHeaders,
                const QByteArray &hash = kEmptyHash)
{
    return method + '\n' + uri + '\n' + query + '\n' + headers + '\n' + signedHeaders + '\n' + hash;
}

QByteArray sts(const QByteArray &hash)
{
    return "AWS4-HMAC-SHA256\n20150830T123600Z\n" + kScopeLine + '\n' + hash;
}

const QByteArray kHost = "host:example.amazonaws.com\n";
const QByteArray kDate = "x-amz-date:20150830T123600Z\n";

} // namespace

class TstSigV4 : public QObject
{
    Q_OBJECT

private slots:
    void suite_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<bool>("normalize");
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<bool>("signToken");
        QTest::addColumn<QByteArray>("canonicalRequest"); // empty: not published, skip
        QTest::addColumn<QByteArray>("stringToSign");     // empty: not published, skip
        QTest::addColumn<QByteArray>("signedHeaders");
        QTest::addColumn<QByteArray>("signature");

        auto row = [](const char *name, const QByteArray &request, const QByteArray &canonical,
                      const QByteArray &stsHash, const QByteArray &signedHeaders,
                      const QByteArray &signature, bool normalize = true,
                      const QByteArray &token = {}, bool signToken = true) {
            QTest::newRow(name) << request << normalize << token << signToken << canonical
                                << (stsHash.isEmpty() ? QByteArray() : sts(stsHash))
                                << signedHeaders << signature;
        };
        const QByteArray hd = "host;x-amz-date";

        row("get-vanilla", "GET / HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("GET", "/", "", kHost + kDate, hd),
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63", hd,
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        row("get-vanilla-query", "GET / HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("GET", "/", "", kHost + kDate, hd),
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63", hd,
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        row("get-vanilla-empty-query-key",
            "GET /?Param1=value1 HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("GET", "/", "Param1=value1", kHost + kDate, hd),
            "1e24db194ed7d0eec2de28d7369675a243488e08526e8c1c73571282f7c517ab", hd,
            "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb");
        row("get-vanilla-query-order-key-case",
            "GET /?Param2=value2&Param1=value1 HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("GET", "/", "Param1=value1&Param2=value2", kHost + kDate, hd),
            "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0", hd,
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
        row("get-vanilla-query-order-value",
            "GET /?Param1=value2&Param1=value1 HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("GET", "/", "Param1=value1&Param1=value2", kHost + kDate, hd), {}, hd,
            "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694");
        row("get-vanilla-query-order-encoded",
            "GET /?Param-3=Value3&Param=Value2&%E1%88%B4=Value1 "
            "HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("GET", "/", "%E1%88%B4=Value1&Param=Value2&Param-3=Value3", kHost + kDate, hd),
            "868294f5c38bd141c4972a373a76654f1418a8e4fc18b2e7903ae45e8ae0ec71", hd,
            "371d3713e185cc334048618a97f809c9ffe339c62934c032af5a0e595648fcac");
        row("get-vanilla-query-unreserved",
            "GET "
            "/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~"
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz "
            "HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("GET", "/",
                 "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~"
                 "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                 kHost + kDate, hd),
            "c30d4703d9f799439be92736156d47ccfb2d879ddf56f5befa6d1d6aab979177", hd,
            "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197");
        row("get-vanilla-utf8-query",
            "GET /?\xe1\x88\xb4=bar HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("GET", "/", "%E1%88%B4=bar", kHost + kDate, hd),
            "eb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073", hd,
            "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04");
        row("get-unreserved",
            "GET /-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz "
            "HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "",
                 kHost + kDate, hd),
            "6a968768eefaa713e2a6b16b589a8ea192661f098f37349f4e2c0082757446f9", hd,
            "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f");
        row("get-utf8", "GET /\xe1\x88\xb4 HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("GET", "/%E1%88%B4", "", kHost + kDate, hd),
            "2a0a97d02205e45ce2e994789806b19270cfbbb0921b278ccf58f5249ac42102", hd,
            "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85");
        row("get-space", "GET /example space/ HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("GET", "/example%20space/", "", kHost + kDate, hd),
            "63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86", hd,
            "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741");
        row("get-relative (normalized)", "GET /example/.. HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("GET", "/", "", kHost + kDate, hd),
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63", hd,
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        row("get-relative (unnormalized)", "GET /example/.. HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("GET", "/example/..", "", kHost + kDate, hd),
            "0511f456aa502b456d135fcb9d749374a55228f9dbeedda1eacf659e05b0615b", hd,
            "eca7ead57bb5aa5c8e28007acd4ff04e1ff9a0ff3b237ec1554a184887ff9282", false);
        row("get-relative-relative (normalized)",
            "GET /example1/example2/../.. HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("GET", "/", "", kHost + kDate, hd),
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63", hd,
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        row("get-relative-relative (unnormalized)",
            "GET /example1/example2/../.. HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("GET", "/example1/example2/../..", "", kHost + kDate, hd),
            "76115030c0f3ff06c20fdff5ceb6d5e0b835a1743e00b94fea7c7f381269437b", hd,
            "dc33e0856fd4baca4d7aa2146c38958283844764f38c74252a333df5e613003b", false);
        row("get-slash (normalized)", "GET // HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("GET", "/", "", kHost + kDate, hd),
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63", hd,
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        row("get-slash (unnormalized)", "GET // HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("GET", "//", "", kHost + kDate, hd),
            "80cb39203d058af815de2b79250ff56e1b73eb9b4718c86556cdc6f150c5d209", hd,
            "c88bcd3d312d75078c0cd961d6deae3f4c754924b01669efcfcb439fd5e5b76e", false);
        row("get-slash-dot-slash (normalized)", "GET /./ HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("GET", "/", "", kHost + kDate, hd),
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63", hd,
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        row("get-slash-dot-slash (unnormalized)", "GET /./ HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("GET", "/./", "", kHost + kDate, hd),
            "d67825e2268bd77a97c7688b8d72c31a3c1855b309808505ba0a9747d2465aa7", hd,
            "68714168e6557f8f2de0ef956fc24dc2593a4bd2961f8df51898d8a134695145", false);
        row("get-slash-pointless-dot (normalized)",
            "GET /./example HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("GET", "/example", "", kHost + kDate, hd),
            "214d50c111a8edc4819da6a636336472c916b5240f51e9a51b5c3305180cf702", hd,
            "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5");
        row("get-slash-pointless-dot (unnormalized)",
            "GET /./example HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("GET", "/./example", "", kHost + kDate, hd),
            "73895e0e829507e28e39fd24669aedc2434a8e179e547e3c075b42921f952cdb", hd,
            "beb03f223f7deae4146464f06e29eebbee9c8afbe15c290cf07aa8b119e14cff", false);
        row("get-slashes (normalized)", "GET //example// HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("GET", "/example/", "", kHost + kDate, hd),
            "cb96b4ac96d501f7c5c15bc6d67b3035061cfced4af6585ad927f7e6c985c015", hd,
            "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84");
        row("get-slashes (unnormalized)", "GET //example// HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("GET", "//example//", "", kHost + kDate, hd),
            "528ec3105ee1f34ab014bb0a1a45da0ed2742a4fea3555149e5b4d5d201eb240", hd,
            "87cca117541a147f6df867677d98a7d80dff226d2bfca9e4ffa899665623c7e5", false);

        const QByteArray hmd = "host;my-header1;x-amz-date";
        row("get-header-key-duplicate",
            "GET / "
            "HTTP/"
            "1.1\nHost:example.amazonaws.com\nMy-Header1:value2\nMy-Header1:value2\nMy-Header1:"
            "value1\n",
            creq("GET", "/", "", kHost + "my-header1:value2,value2,value1\n" + kDate, hmd),
            "dc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c", hmd,
            "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea");
        row("get-header-value-multiline",
            "GET / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:value1\n  value2\n     "
            "value3\n",
            creq("GET", "/", "", kHost + "my-header1:value1 value2 value3\n" + kDate, hmd),
            "e99419459a677bc11de234014be3c4e72c1ea5b454ceb58b613061f5d7a162e8", hmd,
            "cfd34249e4b1c8d6b91ef74165d41a32e5fab3306300901bb65a51a73575eefd");
        row("get-header-value-order",
            "GET / "
            "HTTP/"
            "1.1\nHost:example.amazonaws.com\nMy-Header1:value4\nMy-Header1:value1\nMy-Header1:"
            "value3\nMy-Header1:value2\n",
            creq("GET", "/", "", kHost + "my-header1:value4,value1,value3,value2\n" + kDate, hmd),
            "31ce73cd3f3d9f66977ad3dd957dc47af14df92fcd8509f59b349e9137c58b86", hmd,
            "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01");
        row("get-header-value-trim",
            "GET / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1: value1\nMy-Header2: \"a   b   "
            "c\"\n",
            creq("GET", "/", "", kHost + "my-header1:value1\nmy-header2:\"a b c\"\n" + kDate,
                 "host;my-header1;my-header2;x-amz-date"),
            "a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7",
            "host;my-header1;my-header2;x-amz-date",
            "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
        row("get-vanilla-with-session-token", "GET / HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("GET", "/", "",
                 kHost + kDate +
                     "x-amz-security-token:"
                     "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267\n",
                 "host;x-amz-date;x-amz-security-token"),
            "067b36aa60031588cea4a4cde1f21215227a047690c72247f1d70b32fbbfad2b",
            "host;x-amz-date;x-amz-security-token",
            "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8", true,
            "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267");

        row("post-vanilla", "POST / HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("POST", "/", "", kHost + kDate, hd),
            "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87", hd,
            "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
        row("post-vanilla-query", "POST /?Param1=value1 HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("POST", "/", "Param1=value1", kHost + kDate, hd),
            "9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd", hd,
            "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11");
        row("post-vanilla-empty-query-value",
            "POST /?Param1=value1 HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("POST", "/", "Param1=value1", kHost + kDate, hd),
            "9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd", hd,
            "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11");
        row("post-header-key-case", "POST / HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("POST", "/", "", kHost + kDate, hd),
            "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87", hd,
            "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
        row("post-header-key-sort",
            "POST / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:value1\n",
            creq("POST", "/", "", kHost + "my-header1:value1\n" + kDate, hmd),
            "9368318c2967cf6de74404b30c65a91e8f6253e0a8659d6d5319f1a812f87d65", hmd,
            "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c");
        row("post-header-value-case",
            "POST / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:VALUE1\n",
            creq("POST", "/", "", kHost + "my-header1:VALUE1\n" + kDate, hmd),
            "d51ced243e649e3de6ef63afbbdcbca03131a21a7103a1583706a64618606a93", hmd,
            "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d");
        row("post-sts-header-before", "POST / HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("POST", "/", "", kHost + kDate + "x-amz-security-token:" + kLongToken + '\n',
                 "host;x-amz-date;x-amz-security-token"),
            "c237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6",
            "host;x-amz-date;x-amz-security-token",
            "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead", true, kLongToken);
        row("post-sts-header-after", "POST / HTTP/1.1\nHost:example.amazonaws.com\n",
            creq("POST", "/", "", kHost + kDate, hd),
            "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87", hd,
            "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b", true, kLongToken,
            false);

        const QByteArray bodyHash =
            "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e";
        row("post-x-www-form-urlencoded",
            "POST / "
            "HTTP/1.1\nContent-Type:application/"
            "x-www-form-urlencoded\nHost:example.amazonaws.com\n\nParam1=value1",
            creq("POST", "/", "",
                 "content-type:application/x-www-form-urlencoded\n" + kHost + kDate,
                 "content-type;host;x-amz-date", bodyHash),
            "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281",
            "content-type;host;x-amz-date",
            "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
        // The aws-c-auth edition of the suite also signs Content-Length and the payload hash
        // header.
        row("post-x-www-form-urlencoded (signed body)",
            "POST / "
            "HTTP/1.1\nContent-Type:application/x-www-form-urlencoded\nHost:example.amazonaws.com\n"
            "Content-Length:13\nX-Amz-Content-Sha256:" +
                bodyHash + "\n\nParam1=value1",
            creq("POST", "/", "",
                 "content-length:13\ncontent-type:application/x-www-form-urlencoded\n" + kHost +
                     "x-amz-content-sha256:" + bodyHash + '\n' + kDate,
                 "content-length;content-type;host;x-amz-content-sha256;x-amz-date", bodyHash),
            "b1edd1d03544c25390e32085d55b57acc9a3961bb59415ff86c45c3d89d16cfb",
            "content-length;content-type;host;x-amz-content-sha256;x-amz-date",
            "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b");
        row("post-x-www-form-urlencoded-parameters",
            "POST / HTTP/1.1\nContent-Type:application/x-www-form-urlencoded; "
            "charset=utf-8\nHost:example.amazonaws.com\n"
            "Content-Length:13\nX-Amz-Content-Sha256:" +
                bodyHash + "\n\nParam1=value1",
            creq("POST", "/", "",
                 "content-length:13\ncontent-type:application/x-www-form-urlencoded; "
                 "charset=utf-8\n" +
                     kHost + "x-amz-content-sha256:" + bodyHash + '\n' + kDate,
                 "content-length;content-type;host;x-amz-content-sha256;x-amz-date", bodyHash),
            "a89f1a5b53e37702ee6363ce1da3ce8f54386f3c8f352ae652153c2982a0bc4d",
            "content-length;content-type;host;x-amz-content-sha256;x-amz-date",
            "328d1b9eaadca9f5818ef05e8392801e091653bafec24fcab71e7344e7f51422");
    }

    void suite()
    {
        QFETCH(QByteArray, request);
        QFETCH(bool, normalize);
        QFETCH(QByteArray, token);
        QFETCH(bool, signToken);
        QFETCH(QByteArray, canonicalRequest);
        QFETCH(QByteArray, stringToSign);
        QFETCH(QByteArray, signedHeaders);
        QFETCH(QByteArray, signature);

        SigV4::Request r = parseRequest(request);
        r.normalizePath = normalize;
        const SigV4::Key key{kAccessKey, kSecret, QString::fromLatin1(token)};
        const QByteArray authorization = SigV4::sign(r, key, suiteScope(), signToken);

        // The intermediate strings, from the signed request (its X-Amz-Date and token headers).
        SigV4::Request unsignedPart = r;
        unsignedPart.headers.removeIf([&](const SigV4::Header &h) {
            const QByteArray n = h.first.toLower();
            return n == "authorization" || (n == "x-amz-security-token" && !signToken);
        });
        const QByteArray gotCanonical = SigV4::canonicalRequest(unsignedPart);
        if (!canonicalRequest.isEmpty())
            QCOMPARE(gotCanonical, canonicalRequest);
        if (!stringToSign.isEmpty())
            QCOMPARE(SigV4::stringToSign(gotCanonical, suiteScope()), stringToSign);
        QCOMPARE(authorization, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" + kScopeLine +
                                    ", SignedHeaders=" + signedHeaders +
                                    ", Signature=" + signature);

        // The headers that go out: the date, and the token whether signed or not.
        auto header = [&](const QByteArray &name) {
            for (const auto &h : r.headers) {
                if (h.first.toLower() == name)
                    return h.second;
            }
            return QByteArray();
        };
        QCOMPARE(header("x-amz-date"), QByteArray("20150830T123600Z"));
        QCOMPARE(header("x-amz-security-token"), token);
        QCOMPARE(header("authorization"), authorization);
    }

    void signingKeyDerivation()
    {
        // AWS's documented example of the derived key (iam "Deriving the signing key"):
        // secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20120215, us-east-1, iam.
        const SigV4::Scope scope{u"us-east-1"_s, u"iam"_s,
                                 QDateTime(QDate(2012, 2, 15), QTime(0, 0), Qt::UTC)};
        QCOMPARE(SigV4::signingKey(kSecret, scope).toHex(),
                 QByteArray("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"));
    }

    void resigningReplacesOldHeaders()
    {
        SigV4::Request r = parseRequest("POST / HTTP/1.1\nHost:example.amazonaws.com\n");
        const SigV4::Key key{kAccessKey, kSecret, {}};
        const QByteArray first = SigV4::sign(r, key, suiteScope());
        const QByteArray second = SigV4::sign(r, key, suiteScope());
        QCOMPARE(second, first);
        int authorizations = 0;
        for (const auto &h : r.headers)
            authorizations += h.first.toLower() == "authorization" ? 1 : 0;
        QCOMPARE(authorizations, 1);
    }
};

QTEST_APPLESS_MAIN(TstSigV4)
#include "tst_sigv4.moc"
