// build_request: exact wire text for each place and style (OpenAPI 3.1
// §4.8.12.4 style table, RFC 6570 expansion), bodies, nulls and errors.

#include <gtest/gtest.h>

#include "flatten/flatten.h"
#include "test_support.h"

namespace mcpw::flatten {
namespace {

using testing::find_tool;
using testing::flatten_file;
using testing::header_of;

class Requests : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    edge_ = new FlattenResult(flatten_file("edge-cases-3.0.json"));
    duvo_ = new FlattenResult(flatten_file("duvo-openapi.json"));
    v31_ = new FlattenResult(flatten_file("small-3.1.json"));
  }
  static void TearDownTestSuite() {
    delete edge_;
    delete duvo_;
    delete v31_;
  }
  static const Binding& binding(const FlattenResult* r, std::string_view name) {
    const Tool* t = find_tool(*r, name);
    EXPECT_NE(t, nullptr) << name;
    static const Binding kEmpty{};
    return t ? t->binding : kEmpty;
  }
  static HttpRequest build(const FlattenResult* r, std::string_view name, const json& args) {
    auto req = build_request(binding(r, name), args);
    EXPECT_TRUE(req.ok()) << name << ": " << (req.ok() ? "" : req.error().message);
    return req.ok() ? req.value() : HttpRequest{};
  }
  static FlattenResult* edge_;
  static FlattenResult* duvo_;
  static FlattenResult* v31_;
};
FlattenResult* Requests::edge_ = nullptr;
FlattenResult* Requests::duvo_ = nullptr;
FlattenResult* Requests::v31_ = nullptr;

// spec: OpenAPI 3.1 §4.8.12.4.1 style examples (label, matrix, simple explode,
// spaceDelimited, pipeDelimited, deepObject, form explode true/false, content)
TEST_F(Requests, EveryStyle) {
  HttpRequest r = build(edge_, "styles",
                        {{"label", {"a", "b c"}},
                         {"matrix", {1, 2}},
                         {"obj", {{"r", 100}, {"g", 200}}},
                         {"space", {1, 2, 3}},
                         {"pipe", {"x", "y|z"}},
                         {"deep", {{"a", "x y"}, {"n", 5}}},
                         {"flat", {{"x", "1,2"}, {"y", true}}},
                         {"page", {{"page_size", 10}, {"page_token", "t"}}},
                         {"tags", {"p", "q"}},
                         {"filter", {{"q", "a"}}},
                         {"raw", "a/b?c&d"},
                         {"X-Ids", {1, 2}}});
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target,
            "/styles/.a,b%20c/;matrix=1;matrix=2/g=200,r=100"
            "?space=1%202%203&pipe=x|y%7Cz&deep[a]=x%20y&deep[n]=5&flat=x,1%2C2,y,true"
            "&page_size=10&page_token=t&tags=p&tags=q&filter=%7B%22q%22%3A%22a%22%7D&raw=a/b?c%26d");
  EXPECT_EQ(header_of(r, "X-Ids"), "1,2");
  EXPECT_TRUE(r.body.empty());
}

TEST_F(Requests, ScalarLabelMatrixAndFormObject) {
  HttpRequest r = build(edge_, "scalarStyles", {{"one", "x.y"}, {"m1", ""}, {"lo", {{"k", "v"}}}});
  EXPECT_EQ(r.target, "/label1/.x.y/m/;m1?lo=k,v");
}

// "/" is escaped in a path parameter unless the document says otherwise.
TEST_F(Requests, SlashInPathOnlyWhereAllowed) {
  EXPECT_EQ(build(duvo_, "readFile", {{"path", "reports/2025/q 1.md"}}).target, "/v1/files/reports/2025/q%201.md");
  EXPECT_EQ(build(duvo_, "getAgent", {{"agent_id", "a/b"}}).target, "/v1/agents/a%2Fb");
  // allowReserved: RFC 6570 "+" expansion, but "?" and "#" would end the path.
  EXPECT_EQ(build(edge_, "reservedPath", {{"path", "a/b:c?d#e%"}}).target, "/reserved/a/b:c%3Fd%23e%25");
  EXPECT_EQ(build(duvo_, "listFiles", {{"prefix", "reports/2025/"}}).target, "/v1/files?prefix=reports/2025/");
}

TEST_F(Requests, HeadersAndCookies) {
  HttpRequest r = build(edge_, "getItem",
                        {{"id", "7"}, {"session", "abc def"}, {"prefs", {"a", "b"}}, {"X-Trace", " t,1% "}, {"verbose", 2}});
  EXPECT_EQ(r.target, "/items/7?verbose=2");
  EXPECT_EQ(header_of(r, "Cookie"), "session=abc%20def; prefs=a,b");
  EXPECT_EQ(header_of(r, "X-Trace"), "%20t%2C1%25%20");
  EXPECT_EQ(header_of(r, "Content-Type"), "<absent>");
}

TEST_F(Requests, JsonBodySpread) {
  HttpRequest r = build(duvo_, "startRun", {{"agent_id", "0b7c"}, {"message", "hi"}});
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/v1/runs");
  EXPECT_EQ(r.body, R"({"agent_id":"0b7c","message":"hi"})");
  EXPECT_EQ(header_of(r, "Content-Type"), "application/json");
}

TEST_F(Requests, CollidingKeysGoBackToTheirPlaces) {
  HttpRequest r = build(edge_, "collide",
                        {{"id", "P"}, {"id_query_2", "Q"}, {"id_query", "Q2"}, {"id_header", "H"}, {"id_cookie", "C"},
                         {"id_body", "B"}, {"name", "n1"}, {"name_body", "n2"}});
  EXPECT_EQ(r.target, "/collide/P?id=Q&name=n1&id_query=Q2");
  EXPECT_EQ(header_of(r, "id"), "H");
  EXPECT_EQ(header_of(r, "Cookie"), "id=C");
  EXPECT_EQ(r.body, R"({"id":"B","name":"n2"})");
  HttpRequest w = build(edge_, "collideWhole", {{"body", "q"}, {"body_body", {"x", "y"}}});
  EXPECT_EQ(w.target, "/collide-whole?body=q");
  EXPECT_EQ(w.body, R"(["x","y"])");
  HttpRequest t = build(duvo_, "startTeamRun", {{"teamId", "T1"}, {"teamId_body", "T1"}, {"agent_id", "a"}});
  EXPECT_EQ(t.target, "/v2/teams/T1/runs");
  EXPECT_EQ(t.body, R"({"agent_id":"a","teamId":"T1"})");
}

// Duvo: parent_folder_id: null means "move to the root" and must be sent.
TEST_F(Requests, NullSentWhereNullable) {
  HttpRequest r = build(duvo_, "updateAgentFolder", {{"folder_id", "f1"}, {"parent_folder_id", nullptr}});
  EXPECT_EQ(r.method, "PATCH");
  EXPECT_EQ(r.body, R"({"parent_folder_id":null})");
}

TEST_F(Requests, NullTreatedAsOmittedElsewhere) {
  HttpRequest r = build(edge_, "nullables", {{"a", nullptr}, {"d", nullptr}, {"e", nullptr}});
  EXPECT_EQ(r.body, R"({"a":null})");
  HttpRequest q = build(duvo_, "listRuns", {{"limit", nullptr}, {"status", nullptr}, {"offset", 5}});
  EXPECT_EQ(q.target, "/v1/runs?offset=5");
  auto missing = build_request(binding(duvo_, "getAgent"), {{"agent_id", nullptr}});
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.error().is(MISSING_ARGUMENT));
}

TEST_F(Requests, EmptyListParametersAreNotSent) {
  EXPECT_EQ(build(duvo_, "listRuns", {{"status", json::array()}}).target, "/v1/runs");
  EXPECT_EQ(build(duvo_, "listRuns", {{"status", {"running", "waiting"}}, {"has_issues", "true"}}).target,
            "/v1/runs?status=running,waiting&has_issues=true");
}

// spec: WHATWG URL §5 application/x-www-form-urlencoded
TEST_F(Requests, FormBody) {
  HttpRequest r = build(edge_, "mediaForm",
                        {{"a", "x y&z"}, {"n", 3}, {"flag", true}, {"list", {"p", "q"}}, {"obj", {{"k", "v"}}}});
  EXPECT_EQ(header_of(r, "Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(r.body, "a=x+y%26z&flag=true&list=p&list=q&n=3&obj=%7B%22k%22%3A%22v%22%7D");
}

// spec: RFC 7578 multipart/form-data
TEST_F(Requests, MultipartBodyWithFile) {
  const json args = {{"name", "pdf-tools"},
                     {"allowed-tools", {"read", "*"}},
                     {"metadata", {{"owner", "ops"}}},
                     {"file", {{"data", "UEsDBA=="}, {"mimeType", "application/zip"}, {"filename", "skill.zip"}}}};
  HttpRequest r = build(duvo_, "createSkill", args);
  const std::string ct = header_of(r, "Content-Type");
  ASSERT_EQ(ct.rfind("multipart/form-data; boundary=", 0), 0u);
  const std::string boundary = ct.substr(30);
  const std::string expected = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"allowed-tools\"\r\n\r\nread\r\n" +
                               "--" + boundary + "\r\nContent-Disposition: form-data; name=\"allowed-tools\"\r\n\r\n*\r\n" +
                               "--" + boundary +
                               "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"skill.zip\"\r\n"
                               "Content-Type: application/zip\r\n\r\nPK\x03\x04\r\n" +
                               "--" + boundary +
                               "\r\nContent-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n"
                               "{\"owner\":\"ops\"}\r\n" +
                               "--" + boundary + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\npdf-tools\r\n" +
                               "--" + boundary + "--\r\n";
  EXPECT_EQ(r.body, expected);
  EXPECT_EQ(build(duvo_, "createSkill", args).body, r.body);  // deterministic boundary
  auto bad = build_request(binding(duvo_, "createSkill"), {{"name", "x"}, {"file", {{"data", "not base64!"}}}});
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.error().is(BAD_ARGUMENT));
  // No header injection through the part's media type.
  auto inject = build_request(binding(duvo_, "createSkill"),
                              {{"name", "x"}, {"file", {{"data", ""}, {"mimeType", "text/plain\r\nX-Evil: 1"}}}});
  ASSERT_FALSE(inject.ok());
  EXPECT_TRUE(inject.error().is(BAD_ARGUMENT));
}

TEST_F(Requests, MultipartBoundaryAbsentFromParts) {
  HttpRequest first = build(duvo_, "createSkill", {{"name", "x"}, {"file", {{"data", ""}}}});
  const std::string boundary = header_of(first, "Content-Type").substr(30);
  // A part that carries an earlier boundary and boundary-like text.
  const std::string tricky = "--" + boundary + "\r\n--mcpw-\r\n\r\n";
  HttpRequest r = build(duvo_, "createSkill", {{"name", "x"}, {"description", tricky}, {"file", {{"data", ""}}}});
  const std::string b2 = header_of(r, "Content-Type").substr(30);
  EXPECT_EQ(tricky.find(b2), std::string::npos);
  auto parsed = parse_request(binding(duvo_, "createSkill"), r);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(json(parsed.value())["description"], tricky);
}

TEST_F(Requests, TextAndBinaryBodies) {
  HttpRequest t = build(duvo_, "writeFile", {{"path", "notes/a.md"}, {"body", "# Title\n"}, {"X-Request-Id", "r1"}});
  EXPECT_EQ(t.method, "PUT");
  EXPECT_EQ(t.target, "/v1/files/notes/a.md");
  EXPECT_EQ(header_of(t, "Content-Type"), "text/plain");
  EXPECT_EQ(header_of(t, "X-Request-Id"), "r1");
  EXPECT_EQ(t.body, "# Title\n");
  HttpRequest b = build(edge_, "mediaOctet", {{"body", "AAEC/w=="}});
  EXPECT_EQ(b.body, std::string("\x00\x01\x02\xff", 4));
  EXPECT_EQ(header_of(b, "Content-Type"), "application/octet-stream");
  auto bad = build_request(binding(edge_, "mediaOctet"), {{"body", "AAE"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.error().is(BAD_ARGUMENT));
}

TEST_F(Requests, OptionalBodyLeftOutWhenNoFieldGiven) {
  HttpRequest r = build(edge_, "optionalBody", json::object());
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(header_of(r, "Content-Type"), "<absent>");
  EXPECT_EQ(build(edge_, "nullables", json::object()).body, "{}");  // required body
}

TEST_F(Requests, UnknownKeysRejectedWithASuggestion) {
  auto r = build_request(binding(duvo_, "startRun"), {{"agentid", "x"}});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(UNKNOWN_ARGUMENT));
  EXPECT_NE(r.error().message.find("did you mean \"agent_id\"?"), std::string::npos) << r.error().message;
  auto far = build_request(binding(duvo_, "startRun"), {{"agent_id", "x"}, {"zzzzzzzz", 1}});
  ASSERT_FALSE(far.ok());
  EXPECT_NE(far.error().message.find("known: agent_id message sandbox_id webhook_url"), std::string::npos)
      << far.error().message;
}

TEST_F(Requests, ExtraKeysGoToABodyThatAllowsThem) {
  HttpRequest r = build(edge_, "freeBody", {{"known", "k"}, {"extra", 5}});
  EXPECT_EQ(r.body, R"({"extra":5,"known":"k"})");
  HttpRequest h = build(duvo_, "respondToHumanRequest",
                        {{"run_id", "r"}, {"request_id", "q"}, {"answers", {{"Which env?", "prod"}}}, {"approved", true}});
  EXPECT_EQ(h.target, "/v1/runs/r/human-requests/q/respond");
  EXPECT_EQ(h.body, R"({"answers":{"Which env?":"prod"},"approved":true})");
}

TEST_F(Requests, ArgumentsMustBeAnObject) {
  auto r = build_request(binding(duvo_, "startRun"), json::array());
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(BAD_ARGUMENT));
}

// Other clients encode differently ("%5B" for "[", lower-case hex, "+").
TEST_F(Requests, ParseAcceptsOtherEncodersOfTheSameRequest) {
  auto a = parse_request(binding(edge_, "styles"),
                         HttpRequest{"GET", "/styles/.a/;matrix=1/r=1?deep%5ba%5d=x%2fy&d%65ep[n]=5&tags=%7e", {}, ""});
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a.value(), json({{"label", {"a"}}, {"matrix", {1}}, {"obj", {{"r", 1}}}, {"deep", {{"a", "x/y"}, {"n", 5}}}, {"tags", {"~"}}}));
}

// A union that refers to itself through $defs must not recurse forever.
TEST(ParseRequest, SelfReferentialUnionIsBounded) {
  Binding b;
  b.method = "GET";
  b.path_template = "/x";
  b.defs = {{"X", {{"anyOf", {{{"$ref", "#/$defs/X"}}, {{"$ref", "#/$defs/X"}}}}}}};
  KeyBinding k;
  k.flat_key = k.name = "q";
  k.schema = {{"$ref", "#/$defs/X"}};
  b.keys.push_back(k);
  auto r = parse_request(b, HttpRequest{"GET", "/x?q=abc", {}, ""});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(BAD_REQUEST));
}

TEST_F(Requests, ParseRejectsForeignRequests) {
  const Binding& b = binding(duvo_, "getAgent");
  EXPECT_TRUE(parse_request(b, HttpRequest{"POST", "/v1/agents/x", {}, ""}).error().is(BAD_REQUEST));
  EXPECT_TRUE(parse_request(b, HttpRequest{"GET", "/v1/agentz/x", {}, ""}).error().is(BAD_REQUEST));
  EXPECT_TRUE(parse_request(b, HttpRequest{"GET", "/v1/agents/x?zz=1", {}, ""}).error().is(BAD_REQUEST));
  EXPECT_TRUE(parse_request(b, HttpRequest{"GET", "/v1/agents/%zz", {}, ""}).error().is(BAD_REQUEST));
  const Binding& s = binding(duvo_, "startRun");
  EXPECT_TRUE(parse_request(s, HttpRequest{"POST", "/v1/runs", {{"Content-Type", "application/json"}}, "{\"nope\":1}"})
                  .error()
                  .is(BAD_REQUEST));
  const Binding& l = binding(duvo_, "listRuns");
  EXPECT_TRUE(parse_request(l, HttpRequest{"GET", "/v1/runs?limit=ten", {}, ""}).error().is(BAD_REQUEST));
}

}  // namespace
}  // namespace mcpw::flatten

namespace mcpw::flatten {
namespace {

// A value that contains the literal text following its variable reads back
// whole (found by fuzz/flatten.cpp: "/m/{m1}-0" split at the first "-0").
TEST(ParseRequest, ValueContainingTheNextLiteral) {
  const json doc = json::parse(R"({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
    "/reports/{id}.pdf": {"get": {"operationId": "report", "parameters": [
      {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}]}},
    "/m/{m1}-0/x": {"get": {"operationId": "mid", "parameters": [
      {"name": "m1", "in": "path", "required": true, "schema": {"type": "string"}}]}}}})");
  auto flat = flatten_openapi(doc);
  ASSERT_TRUE(flat.ok());
  for (const auto& [tool, key, value] : {std::tuple{"report", "id", "a.pdf.b"}, std::tuple{"mid", "m1", "a-0-0"},
                                         std::tuple{"mid", "m1", "plain"}}) {
    const Tool* t = testing::find_tool(*flat, tool);
    ASSERT_NE(t, nullptr);
    const json args{{key, value}};
    auto req = build_request(t->binding, args);
    ASSERT_TRUE(req.ok());
    auto back = parse_request(t->binding, *req);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(*back, args) << req->target;
  }
}

// Found by the flatten fuzz target: "/{m1}{m1}" was read back with m1 = ""
// (the first of two adjacent variables got nothing). Ambiguous templates are
// refused when read back, never answered with other arguments; a variable
// used twice must read the same in both places.
TEST(ParseRequest, AmbiguousTemplatesAreRefusedNotMisread) {
  const json doc = json::parse(R"({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
    "/twice/{m1}{m1}": {"get": {"operationId": "twice"}},
    "/pair/{a}{b}": {"get": {"operationId": "pair"}},
    "/again/{id}/x/{id}": {"get": {"operationId": "again"}}}})");
  auto flat = flatten_openapi(doc);
  ASSERT_TRUE(flat.ok());
  const auto request = [&](const char* tool, const json& args) {
    const Tool* t = testing::find_tool(*flat, tool);
    EXPECT_NE(t, nullptr) << tool;
    auto req = build_request(t->binding, args);
    EXPECT_TRUE(req.ok()) << tool;
    return std::pair{t, *req};
  };
  for (const auto& [tool, args] : {std::pair{"twice", json{{"m1", "Z'"}}}, std::pair{"pair", json{{"a", "x"}, {"b", "y"}}}}) {
    const auto [t, req] = request(tool, args);
    auto back = parse_request(t->binding, req);
    ASSERT_FALSE(back.ok()) << tool << ": " << dump_json(*back);
    EXPECT_EQ(back.error().id, BAD_REQUEST);
    EXPECT_NE(back.error().message.find("ambiguous path template"), std::string::npos) << back.error().message;
  }
  auto [again, req] = request("again", json{{"id", "7"}});
  EXPECT_EQ(req.target, "/again/7/x/7");
  auto same = parse_request(again->binding, req);
  ASSERT_TRUE(same.ok()) << same.error().message;
  EXPECT_EQ(*same, (json{{"id", "7"}}));
  req.target = "/again/7/x/8";
  auto differ = parse_request(again->binding, req);
  ASSERT_FALSE(differ.ok());
  EXPECT_NE(differ.error().message.find("{id} differs"), std::string::npos) << differ.error().message;
}

// Found by the flatten fuzz target: in "/{a}8({b}8({c}" with b = "" the
// text "8(" follows a and b alike, so taking its last occurrence gave a the
// text that was b's literal and the path no longer matched. Every split is
// now tried: a value holds only the bytes build_request writes raw for it
// ("(" is always encoded), and a path that still reads two ways is refused.
TEST(ParseRequest, EverySplitIsTriedAndAmbiguousPathsAreRefused) {
  const json doc = json::parse(R"({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
    "/p/{a}8({b}8({c}": {"get": {"operationId": "paren", "parameters": [
      {"name": "a", "in": "path", "required": true, "schema": {"type": "string"}},
      {"name": "b", "in": "path", "required": true, "schema": {"type": "string"}},
      {"name": "c", "in": "path", "required": true, "schema": {"type": "string"}}]}},
    "/q/{a}8{b}/m/{c}": {"get": {"operationId": "tail", "parameters": [
      {"name": "a", "in": "path", "required": true, "schema": {"type": "string"}},
      {"name": "b", "in": "path", "required": true, "schema": {"type": "string"}},
      {"name": "c", "in": "path", "required": true, "schema": {"type": "string"}}]}},
    "/d/{a}-{b}": {"get": {"operationId": "dash", "parameters": [
      {"name": "a", "in": "path", "required": true, "schema": {"type": "string"}},
      {"name": "b", "in": "path", "required": true, "schema": {"type": "string"}}]}},
    "/n/{a}-{b}": {"get": {"operationId": "numbers", "parameters": [
      {"name": "a", "in": "path", "required": true, "schema": {"type": "integer"}},
      {"name": "b", "in": "path", "required": true, "schema": {"type": "string"}}]}}}})");
  auto flat = flatten_openapi(doc);
  ASSERT_TRUE(flat.ok());
  const auto round_trip = [&](const char* tool, const json& args) {
    const Tool* t = testing::find_tool(*flat, tool);
    EXPECT_NE(t, nullptr) << tool;
    auto req = build_request(t->binding, args);
    EXPECT_TRUE(req.ok()) << tool;
    return std::pair{req->target, parse_request(t->binding, *req)};
  };
  for (const json& args : {json{{"a", "-_"}, {"b", ""}, {"c", "/="}}, json{{"a", "8"}, {"b", "8"}, {"c", "8"}},
                           json{{"a", ""}, {"b", ""}, {"c", ""}}, json{{"a", "8(8("}, {"b", "("}, {"c", "8("}}}) {
    const auto [target, back] = round_trip("paren", args);
    ASSERT_TRUE(back.ok()) << target << ": " << back.error().message;
    EXPECT_EQ(*back, args) << target;
  }
  // Found next: "(" is written "%28", so in "/q/%288x/m/y" the literal "8"
  // also follows "%2"; that split fails only on a's value, and the later
  // variables' states must not be remembered as dead because of it.
  const auto [qtarget, qback] = round_trip("tail", json{{"a", "("}, {"b", "x"}, {"c", "y"}});
  EXPECT_EQ(qtarget, "/q/%288x/m/y");
  ASSERT_TRUE(qback.ok()) << qtarget << ": " << qback.error().message;
  EXPECT_EQ(*qback, (json{{"a", "("}, {"b", "x"}, {"c", "y"}}));
  // "/d/x-y-z" is a = "x", b = "y-z" or a = "x-y", b = "z": refused, not guessed.
  const auto [target, back] = round_trip("dash", json{{"a", "x-y"}, {"b", "z"}});
  EXPECT_EQ(target, "/d/x-y-z");
  ASSERT_FALSE(back.ok()) << dump_json(*back);
  EXPECT_EQ(back.error().id, BAD_REQUEST);
  EXPECT_NE(back.error().message.find("ambiguous path:"), std::string::npos) << back.error().message;
  // A split whose value does not read under its schema does not count: an
  // integer cannot hold "-", so "/n/12-x-y" reads one way only.
  const auto [ntarget, nback] = round_trip("numbers", json{{"a", 12}, {"b", "x-y"}});
  ASSERT_TRUE(nback.ok()) << ntarget << ": " << nback.error().message;
  EXPECT_EQ(*nback, (json{{"a", 12}, {"b", "x-y"}}));
}

// The split search is bounded in work, not only in candidates: a long path
// of one repeated byte where no split exists (each position is a candidate,
// each would scan the rest) ends at once with a typed refusal.
TEST(ParseRequest, LongPathOfRepeatedLiteralsIsRefusedQuickly) {
  const json doc = json::parse(R"({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
    "/p/{a}a{b}b{c}": {"get": {"operationId": "rep", "parameters": [
      {"name": "a", "in": "path", "required": true, "schema": {"type": "string"}},
      {"name": "b", "in": "path", "required": true, "schema": {"type": "string"}},
      {"name": "c", "in": "path", "required": true, "schema": {"type": "string"}}]}}}})");
  auto flat = flatten_openapi(doc);
  ASSERT_TRUE(flat.ok());
  const Tool* t = testing::find_tool(*flat, "rep");
  ASSERT_NE(t, nullptr);
  auto back = parse_request(t->binding, HttpRequest{"GET", "/p/" + std::string(200'000, 'a'), {}, ""});
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.error().id, BAD_REQUEST);
  EXPECT_NE(back.error().message.find("too ambiguous"), std::string::npos) << back.error().message;
  // Within the budget, the same template still reads a plain path.
  auto plain = parse_request(t->binding, HttpRequest{"GET", "/p/xay" + std::string("b") + "z", {}, ""});
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(*plain, (json{{"a", "x"}, {"b", "y"}, {"c", "z"}}));
}

}  // namespace
}  // namespace mcpw::flatten
