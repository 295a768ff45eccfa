// The flattening rules of flatten.h, one test (or a few) per rule, on the
// edge-case documents and the Duvo-like document in data/.

#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "flatten/flatten.h"
#include "test_support.h"

namespace mcpw::flatten {
namespace {

using testing::find_key;
using testing::find_tool;
using testing::flatten_file;

class EdgeDoc : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { result_ = new FlattenResult(flatten_file("edge-cases-3.0.json")); }
  static void TearDownTestSuite() { delete result_; }
  const Tool& tool(std::string_view name) {
    const Tool* t = find_tool(*result_, name);
    EXPECT_NE(t, nullptr) << name;
    static const Tool kEmpty{};
    return t ? *t : kEmpty;
  }
  static FlattenResult* result_;
};
FlattenResult* EdgeDoc::result_ = nullptr;

class DuvoDoc : public EdgeDoc {
 protected:
  static void SetUpTestSuite() { result_ = new FlattenResult(flatten_file("duvo-openapi.json")); }
};

bool required_has(const Tool& t, std::string_view key) {
  const json* r = find_array(t.input_schema, "required");
  return r && std::find(r->begin(), r->end(), key) != r->end();
}

// Copies, so tests may index with operator[] (a missing key reads as null).
json prop(const Tool& t, std::string_view key) {
  const json* props = find_object(t.input_schema, "properties");
  const json* p = props ? find_member(*props, key) : nullptr;
  return p ? *p : json();
}

// Every "$ref" in `schema` points into its own root's $defs, which exist.
void expect_refs_resolve(const json& root) {
  std::vector<const json*> todo{&root};
  while (!todo.empty()) {
    const json* n = todo.back();
    todo.pop_back();
    if (auto ref = find_string(*n, "$ref")) {
      ASSERT_EQ(ref->rfind("#/$defs/", 0), 0u) << *ref;
      const json* defs = find_object(root, "$defs");
      ASSERT_NE(defs, nullptr);
      EXPECT_NE(find_member(*defs, ref->substr(8)), nullptr) << *ref;
    }
    if (n->is_structured()) {
      for (const json& c : *n) todo.push_back(&c);
    }
  }
}

// --- parameters -------------------------------------------------------------

// spec: OpenAPI 3.1 §4.8.10.1 (operation parameters override path-level ones)
TEST_F(EdgeDoc, OperationLevelParameterWins) {
  const Tool& t = tool("getItem");
  EXPECT_EQ(prop(t, "verbose").value("type", ""), "integer");
  EXPECT_EQ(prop(t, "verbose").value("description", ""), "operation-level");
  EXPECT_EQ(std::count_if(t.binding.keys.begin(), t.binding.keys.end(), [](const KeyBinding& k) { return k.name == "verbose"; }), 1);
}

// spec: OpenAPI 3.1 §4.8.12.1 "required": path parameters MUST be required
TEST_F(EdgeDoc, PathParametersAlwaysRequired) {
  const Tool& t = tool("getItem");  // declares id with required: false
  EXPECT_TRUE(required_has(t, "id"));
  ASSERT_NE(find_key(t, "id"), nullptr);
  EXPECT_TRUE(find_key(t, "id")->required);
}

// spec: OpenAPI 3.1 §4.8.12.1 "name": Accept, Content-Type and Authorization
// header parameters SHALL be ignored
TEST_F(EdgeDoc, AcceptContentTypeAuthorizationHeadersLeftOut) {
  const Tool& t = tool("getItem");
  for (const char* h : {"Accept", "content-type", "Authorization"}) EXPECT_EQ(find_key(t, h), nullptr) << h;
  ASSERT_NE(find_key(t, "X-Trace"), nullptr);
  EXPECT_EQ(find_key(t, "X-Trace")->location, Location::header);
  EXPECT_FALSE(required_has(t, "Authorization"));
}

TEST_F(EdgeDoc, CookiesKept) {
  const Tool& t = tool("getItem");
  ASSERT_NE(find_key(t, "session"), nullptr);
  EXPECT_EQ(find_key(t, "session")->location, Location::cookie);
  EXPECT_TRUE(required_has(t, "session"));
  ASSERT_NE(find_key(t, "prefs"), nullptr);
  EXPECT_FALSE(find_key(t, "prefs")->explode);
}

TEST_F(EdgeDoc, ParameterRefChainFollowed) {
  const Tool& t = tool("getItem");
  ASSERT_NE(find_key(t, "chained"), nullptr);
  EXPECT_EQ(find_key(t, "chained")->location, Location::query);
}

TEST_F(EdgeDoc, StylesAndExplodeDefaults) {
  const Tool& t = tool("styles");
  EXPECT_EQ(find_key(t, "label")->style, Style::label);
  EXPECT_FALSE(find_key(t, "label")->explode);
  EXPECT_EQ(find_key(t, "matrix")->style, Style::matrix);
  EXPECT_TRUE(find_key(t, "matrix")->explode);
  EXPECT_EQ(find_key(t, "obj")->style, Style::simple);
  EXPECT_EQ(find_key(t, "space")->style, Style::space_delimited);
  EXPECT_EQ(find_key(t, "pipe")->style, Style::pipe_delimited);
  EXPECT_EQ(find_key(t, "deep")->style, Style::deep_object);
  EXPECT_TRUE(find_key(t, "tags")->explode);  // form defaults to explode
  EXPECT_FALSE(find_key(t, "X-Ids")->explode);  // simple does not
  EXPECT_TRUE(find_key(t, "filter")->content_json);
  EXPECT_EQ(prop(t, "filter").value("type", ""), "object");
  EXPECT_TRUE(find_key(t, "raw")->allow_reserved);
}

TEST(FlattenPath, TemplateDecidesThePathParameters) {
  json doc = {{"openapi", "3.0.0"},
              {"servers", {{{"url", "https://{region}.example.com/v{major}"},
                            {"variables", {{"region", {{"default", "eu"}}}, {"major", {{"default", "2"}}}}}}}},
              {"paths",
               {{"/a/{undeclared}/{declared}",
                 {{"get",
                   {{"operationId", "a"},
                    {"parameters",
                     {{{"name", "declared"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "integer"}}}},
                      {{"name", "stray"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}}}},
                    {"responses", json::object()}}},
                  {"servers", {{{"url", "https://path-level.example.com"}}}}}},
                {"/b", {{"get", {{"operationId", "b"}, {"servers", {{{"url", "/op-level"}}}}, {"responses", json::object()}}}}},
                {"/c", {{"get", {{"operationId", "c"}, {"responses", json::object()}}}}}}}};
  auto r = flatten_openapi(doc);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->tools.size(), 3u);
  const Tool& a = r->tools[0];
  ASSERT_NE(find_key(a, "undeclared"), nullptr);
  EXPECT_EQ(find_key(a, "undeclared")->location, Location::path);
  EXPECT_EQ(find_key(a, "stray"), nullptr);
  EXPECT_EQ(json(a.input_schema)["properties"]["declared"]["type"], "integer");
  auto req = build_request(a.binding, {{"undeclared", "x"}, {"declared", 3}});
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->target, "/a/x/3");
  EXPECT_EQ(a.binding.server, "https://path-level.example.com");
  EXPECT_EQ(r->tools[1].binding.server, "/op-level");
  EXPECT_EQ(r->tools[2].binding.server, "https://eu.example.com/v2");
}

// --- names and descriptions ----------------------------------------------------

TEST_F(EdgeDoc, NameFromMethodAndPathWithoutOperationId) {
  const Tool& t = tool("get_no-id_thing_id_sub");
  EXPECT_EQ(t.description, "No operationId here.");
  EXPECT_EQ(t.binding.path_template, "/no-id/{thing_id}/sub");
}

TEST_F(EdgeDoc, DescriptionFallsBackToSummary) { EXPECT_EQ(tool("getItem").description, "Get an item (summary only)"); }

TEST(SanitizeToolName, ReplacesCharactersOutsideTheMcpSet) {
  EXPECT_EQ(sanitize_tool_name("repos/get-content"), "repos_get-content");
  EXPECT_EQ(sanitize_tool_name("get_/v1/agents/{agent_id}"), "get_v1_agents_agent_id");
  EXPECT_EQ(sanitize_tool_name("a b\xC3\xA9"), "a_b");
  EXPECT_EQ(sanitize_tool_name("///"), "tool");
  EXPECT_EQ(sanitize_tool_name("ok.name-1_x"), "ok.name-1_x");
}

TEST(SanitizeToolName, LongNamesCutWithAStableHash) {
  const std::string a(200, 'a');
  const std::string b = std::string(199, 'a') + "b";
  const std::string na = sanitize_tool_name(a), nb = sanitize_tool_name(b);
  EXPECT_EQ(na.size(), 128u);
  EXPECT_EQ(nb.size(), 128u);
  EXPECT_NE(na, nb);
  EXPECT_EQ(na, sanitize_tool_name(a));
  EXPECT_EQ(na.substr(0, 119), a.substr(0, 119));
  EXPECT_EQ(na[119], '_');
}

TEST(FlattenNames, DuplicateNamesGetANumberAndADiagnostic) {
  json doc = {{"openapi", "3.0.0"},
              {"paths",
               {{"/a", {{"get", {{"operationId", "same"}, {"responses", json::object()}}}}},
                {"/b", {{"get", {{"operationId", "same"}, {"responses", json::object()}}}}}}}};
  auto r = flatten_openapi(doc);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->tools.size(), 2u);
  EXPECT_EQ(r->tools[0].name, "same");
  EXPECT_EQ(r->tools[1].name, "same_2");
  ASSERT_EQ(r->diagnostics.size(), 1u);
  EXPECT_EQ(r->diagnostics[0].id, "flatten.duplicate_name");
}

TEST_F(DuvoDoc, ToolNamesAreTheOperationIds) {
  std::set<std::string> names;
  for (const Tool& t : result_->tools) names.insert(t.name);
  for (const char* id : {"listAgents", "createAgent", "getAgent", "updateAgent", "deleteAgent", "getEvalScores",
                         "getEvalRubrics", "listAgentFolders", "createAgentFolder", "updateAgentFolder",
                         "deleteAgentFolder", "moveAgentsToFolder", "listAgentRevisions", "getRevision",
                         "createRevision", "updateRevision", "promoteRevision", "listRuns", "startRun", "getRun",
                         "listRunMessages", "postRunMessage", "respondToHumanRequest", "stopRun", "getRunEvaluation",
                         "listAgentMemoryFiles", "getAgentMemoryFile"}) {
    EXPECT_TRUE(names.count(id)) << id;
  }
  EXPECT_EQ(result_->tools.size(), 53u);
  EXPECT_TRUE(result_->diagnostics.empty());
}

TEST_F(DuvoDoc, StartRunIsFlat) {
  const Tool& t = tool("startRun");
  EXPECT_EQ(t.binding.server, "https://api.duvo.ai");
  EXPECT_EQ(t.description, "Start a run of an agent. Poll getRun or listRunMessages until it is done.");
  EXPECT_TRUE(t.binding.body_spread);
  EXPECT_TRUE(required_has(t, "agent_id"));
  EXPECT_FALSE(required_has(t, "message"));
  EXPECT_EQ(t.input_schema.value("additionalProperties", json(true)), json(false));
  std::set<std::string> keys;
  for (const KeyBinding& k : t.binding.keys) keys.insert(k.flat_key);
  EXPECT_EQ(keys, (std::set<std::string>{"agent_id", "message", "sandbox_id", "webhook_url"}));
  // 201 {run: {...}} is the output schema, with the status enum of DUVO.md.
  const json status = json(t.output_schema)["properties"]["run"]["properties"]["status"];
  EXPECT_EQ(status["enum"].size(), 10u);
}

TEST_F(DuvoDoc, GetRunOutputCarriesThePendingHumanRequest) {
  const Tool& t = tool("getRun");
  ASSERT_TRUE(t.output_schema.is_object());
  const json q = json(t.output_schema)["properties"]["pending_human_request"]["properties"]["questions"]["items"];
  EXPECT_EQ(q["properties"]["multi_select"]["type"], "boolean");
  EXPECT_EQ(q["properties"]["options"]["items"]["required"], json::array({"label"}));
}

// --- body --------------------------------------------------------------------

TEST_F(EdgeDoc, BodyMediaTypePreference) {
  struct Case {
    const char* tool;
    const char* media;
    BodyEncoding enc;
  };
  for (const Case& c : {Case{"mediaJsonFirst", "application/json", BodyEncoding::json},
                        Case{"mediaPlusJson", "application/vnd.api+json", BodyEncoding::json},
                        Case{"mediaForm", "application/x-www-form-urlencoded", BodyEncoding::form},
                        Case{"mediaMultipart", "multipart/form-data", BodyEncoding::multipart},
                        Case{"mediaText", "text/markdown", BodyEncoding::text},
                        Case{"mediaOctet", "application/octet-stream", BodyEncoding::binary}}) {
    const Tool& t = tool(c.tool);
    EXPECT_EQ(t.binding.media_type, c.media) << c.tool;
    EXPECT_EQ(t.binding.body, c.enc) << c.tool;
  }
  EXPECT_EQ(prop(tool("mediaOctet"), "body").value("contentEncoding", ""), "base64");
}

TEST_F(EdgeDoc, BodySpreadOnlyForObjectsWithoutRootUnion) {
  EXPECT_TRUE(tool("createEmployee").binding.body_spread);
  EXPECT_FALSE(tool("createShape").binding.body_spread);
  EXPECT_EQ(prop(tool("createShape"), "body")["oneOf"].size(), 2u);
  EXPECT_FALSE(tool("collideWhole").binding.body_spread);  // an array body
  EXPECT_FALSE(tool("freeObject").binding.body_spread);    // no properties to spread
  EXPECT_EQ(prop(tool("freeObject"), "body").value("type", ""), "object");
}

// spec: OpenAPI 3.1 §4.8.24.4 readOnly (responses only) / writeOnly (requests only)
TEST_F(EdgeDoc, ReadOnlyFieldsLeftOutOfRequests) {
  const Tool& t = tool("createThing");
  EXPECT_TRUE(prop(t, "id").is_null());
  EXPECT_FALSE(prop(t, "name").is_null());
  EXPECT_FALSE(prop(t, "secret").is_null());
  EXPECT_FALSE(required_has(t, "id"));
  EXPECT_TRUE(required_has(t, "name"));
  EXPECT_FALSE(prop(t, "inner")["properties"].contains("ro"));
  EXPECT_TRUE(prop(t, "inner")["properties"].contains("rw"));
  // ... and writeOnly ones out of the output.
  EXPECT_TRUE(json(t.output_schema)["properties"].contains("id"));
  EXPECT_FALSE(json(t.output_schema)["properties"].contains("secret"));
  EXPECT_TRUE(json(t.output_schema)["properties"]["inner"]["properties"].contains("ro"));
}

TEST_F(DuvoDoc, ReadOnlyTimestampsNotAskedFor) {
  const Tool& t = tool("createAgent");
  for (const char* k : {"id", "created_at", "updated_at"}) EXPECT_EQ(find_key(t, k), nullptr) << k;
  for (const char* k : {"name", "description", "folder_id", "tool_permissions", "instructions"})
    EXPECT_NE(find_key(t, k), nullptr) << k;
  EXPECT_FALSE(json(tool("getAgent").output_schema)["properties"].contains("instructions"));
}

// spec: OpenAPI 3.1 §4.8.25 Discriminator Object
TEST_F(EdgeDoc, RootUnionWithDiscriminatorMerged) {
  const Tool& t = tool("createPet");
  EXPECT_TRUE(t.binding.body_spread);
  EXPECT_EQ(prop(t, "petType")["enum"], json::array({"cat", "dog", "Lizard"}));
  EXPECT_TRUE(required_has(t, "petType"));
  EXPECT_FALSE(required_has(t, "lives"));  // only Cat requires it
  EXPECT_FALSE(required_has(t, "name"));   // Lizard does not
  EXPECT_EQ(prop(t, "name")["anyOf"].size(), 2u);  // string in Cat/Dog, integer in Lizard
  EXPECT_FALSE(prop(t, "lives").is_null());
  EXPECT_FALSE(prop(t, "bark").is_null());
}

TEST_F(EdgeDoc, RootUnionWithoutDiscriminatorKept) {
  const Tool& t = tool("createShape");
  ASSERT_NE(find_key(t, "body"), nullptr);
  EXPECT_EQ(find_key(t, "body")->location, Location::body);
  EXPECT_TRUE(required_has(t, "body"));
}

TEST_F(DuvoDoc, OneOrArrayCaseBodyStaysOneKey) {
  const Tool& t = tool("createCase");
  ASSERT_EQ(t.binding.keys.size(), 1u);
  EXPECT_EQ(t.binding.keys[0].flat_key, "body");
  EXPECT_EQ(prop(t, "body")["oneOf"][1]["properties"]["cases"]["maxItems"], 100);
}

TEST_F(EdgeDoc, AllOfMerged) {
  const Tool& t = tool("createEmployee");
  for (const char* k : {"name", "email", "employee_id"}) EXPECT_FALSE(prop(t, k).is_null()) << k;
  EXPECT_TRUE(required_has(t, "name"));
  EXPECT_TRUE(required_has(t, "employee_id"));
  EXPECT_EQ(prop(t, "email").value("type", ""), "string");
  EXPECT_EQ(prop(t, "email").value("format", ""), "email");
  EXPECT_EQ(dump_json(t.input_schema).find("allOf"), std::string::npos);
}

// spec: OpenAPI 3.0.3 §4.7.24.1 nullable -> JSON Schema 2020-12 type arrays
TEST_F(EdgeDoc, NullableBecomesTypeArrays) {
  const Tool& t = tool("nullables");
  EXPECT_EQ(prop(t, "a")["type"], json::array({"string", "null"}));
  EXPECT_EQ(prop(t, "b")["type"], json::array({"string", "null"}));
  EXPECT_EQ(prop(t, "b")["enum"], json::array({"x", "y", nullptr}));
  EXPECT_EQ(prop(t, "c")["type"], json::array({"object", "null"}));  // allOf merged first
  EXPECT_EQ(prop(t, "d")["type"], "string");
  EXPECT_EQ(dump_json(t.input_schema).find("nullable"), std::string::npos);
  EXPECT_TRUE(find_key(t, "a")->nullable);
  EXPECT_TRUE(find_key(t, "c")->nullable);
  EXPECT_FALSE(find_key(t, "d")->nullable);
}

TEST_F(EdgeDoc, BooleanExclusiveBoundsBecomeNumbers) {
  const Tool& t = tool("nullables");
  EXPECT_EQ(prop(t, "e")["exclusiveMinimum"], 0);
  EXPECT_FALSE(prop(t, "e").contains("minimum"));
  EXPECT_EQ(prop(t, "f")["maximum"], 10);
  EXPECT_FALSE(prop(t, "f").contains("exclusiveMaximum"));
}

TEST_F(DuvoDoc, NullableParentFolderSurvives) {
  const Tool& t = tool("updateAgentFolder");
  EXPECT_EQ(prop(t, "parent_folder_id")["type"], json::array({"string", "null"}));
  EXPECT_TRUE(find_key(t, "parent_folder_id")->nullable);
}

TEST_F(EdgeDoc, CyclicRefsKeptAsDefs) {
  const Tool& t = tool("createTree");
  EXPECT_EQ(prop(t, "children")["items"], json({{"$ref", "#/$defs/Node"}}));
  EXPECT_EQ(json(t.input_schema)["$defs"]["Node"]["required"], json::array({"value"}));
  expect_refs_resolve(t.input_schema);
  expect_refs_resolve(t.output_schema);
  const Tool& m = tool("mutual");
  expect_refs_resolve(m.input_schema);
  EXPECT_TRUE(json(m.input_schema)["$defs"].contains("A"));
}

TEST_F(DuvoDoc, RecursiveConditionsKeptAsDefs) {
  const Tool& t = tool("updateQueueRouting");
  EXPECT_TRUE(json(t.input_schema)["$defs"].contains("Condition"));
  expect_refs_resolve(t.input_schema);
  const Tool& f = tool("listAgentFolders");
  EXPECT_TRUE(json(f.output_schema)["$defs"].contains("AgentFolderTree"));
  expect_refs_resolve(f.output_schema);
  for (const Tool& any : result_->tools) {
    expect_refs_resolve(any.input_schema);
    if (any.output_schema.is_object()) expect_refs_resolve(any.output_schema);
  }
}

TEST_F(EdgeDoc, UnresolvableRefLeavesOnlyThatOperationOut) {
  std::set<std::string> where;
  for (const Diagnostic& d : result_->diagnostics) {
    EXPECT_EQ(d.id, "flatten.bad_ref") << d.where << ": " << d.message;
    where.insert(d.where);
  }
  EXPECT_EQ(where, (std::set<std::string>{"get /external", "get /dangling"}));
  EXPECT_EQ(find_tool(*result_, "external"), nullptr);
  EXPECT_NE(find_tool(*result_, "createPet"), nullptr);
}

// --- output schema -------------------------------------------------------------

TEST_F(EdgeDoc, OutputFromFirst2xxJsonResponseWrappedWhenNotAnObject) {
  const Tool& t = tool("getItem");  // 201 is XML, 204 has no content: 2XX wins
  EXPECT_TRUE(t.binding.output_wrapped);
  EXPECT_EQ(json(t.output_schema)["properties"]["result"]["type"], "array");
  EXPECT_EQ(json(t.output_schema)["required"], json::array({"result"}));
}

TEST_F(DuvoDoc, OutputSchemas) {
  EXPECT_FALSE(tool("startRun").binding.output_wrapped);
  EXPECT_TRUE(tool("deleteAgent").output_schema.is_null());
  const Tool& e = tool("getRunEvaluation");  // a union: wrapped
  EXPECT_TRUE(e.binding.output_wrapped);
  EXPECT_EQ(json(e.output_schema)["properties"]["result"]["oneOf"].size(), 2u);
  EXPECT_TRUE(tool("readFile").output_schema.is_null());  // text, not JSON
}

// --- collisions ------------------------------------------------------------------

TEST_F(EdgeDoc, CollisionsSuffixedByLocation) {
  const Tool& t = tool("collide");
  struct Want {
    const char* key;
    Location loc;
    const char* name;
  };
  for (const Want& w : {Want{"id", Location::path, "id"}, Want{"id_query", Location::query, "id_query"},
                        Want{"id_query_2", Location::query, "id"}, Want{"id_header", Location::header, "id"},
                        Want{"id_cookie", Location::cookie, "id"}, Want{"id_body", Location::body_field, "id"},
                        Want{"name", Location::query, "name"}, Want{"name_body", Location::body_field, "name"},
                        Want{"note", Location::body_field, "note"}}) {
    const KeyBinding* k = find_key(t, w.key);
    ASSERT_NE(k, nullptr) << w.key;
    EXPECT_EQ(k->location, w.loc) << w.key;
    EXPECT_EQ(k->name, w.name) << w.key;
  }
  EXPECT_EQ(t.binding.keys.size(), 9u);
  EXPECT_EQ(json(t.input_schema)["properties"].size(), 9u);
}

TEST_F(EdgeDoc, WholeBodyKeyTakesPartInCollisions) {
  const Tool& t = tool("collideWhole");
  EXPECT_EQ(find_key(t, "body")->location, Location::query);
  ASSERT_NE(find_key(t, "body_body"), nullptr);
  EXPECT_EQ(find_key(t, "body_body")->location, Location::body);
}

TEST_F(DuvoDoc, TeamIdInPathAndBody) {
  const Tool& t = tool("startTeamRun");
  EXPECT_EQ(find_key(t, "teamId")->location, Location::path);
  EXPECT_EQ(find_key(t, "teamId_body")->location, Location::body_field);
  EXPECT_EQ(find_key(t, "teamId_body")->name, "teamId");
}

TEST(FlattenCollisions, Deterministic) {
  json doc = testing::load_doc(testing::data_path("edge-cases-3.0.json"));
  auto a = flatten_openapi(doc), b = flatten_openapi(doc);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->tools.size(), b->tools.size());
  for (std::size_t i = 0; i < a->tools.size(); ++i) {
    EXPECT_EQ(a->tools[i].name, b->tools[i].name);
    EXPECT_EQ(a->tools[i].input_schema, b->tools[i].input_schema);
  }
}

// --- OpenAPI 3.1 ----------------------------------------------------------------

class Doc31 : public EdgeDoc {
 protected:
  static void SetUpTestSuite() { result_ = new FlattenResult(flatten_file("small-3.1.json")); }
};

TEST_F(Doc31, PathItemRefAndTypeArrays) {
  EXPECT_EQ(result_->tools.size(), 4u);  // webhooks are not operations to call
  const Tool& put = tool("putNote");
  EXPECT_EQ(find_key(put, "note_id")->location, Location::path);
  EXPECT_EQ(find_key(put, "if_match")->location, Location::header);
  EXPECT_EQ(prop(put, "text")["type"], json::array({"string", "null"}));
  EXPECT_TRUE(find_key(put, "text")->nullable);
  EXPECT_TRUE(prop(put, "id").is_null());  // readOnly
}

TEST_F(Doc31, RefSiblingsAndKeywordsKept) {
  const Tool& t = tool("addPoint");
  EXPECT_EQ(prop(t, "label")["description"], "Shown next to the point.");
  EXPECT_EQ(prop(t, "label")["maxLength"], 40);  // from the target
  EXPECT_EQ(prop(t, "label")["minLength"], 1);   // a constraint beside the $ref
  EXPECT_EQ(prop(t, "label")["type"], json::array({"string", "null"}));
  EXPECT_EQ(prop(t, "kind")["const"], "point");
  EXPECT_EQ(prop(t, "at")["prefixItems"].size(), 2u);
  EXPECT_EQ(prop(t, "weight")["exclusiveMinimum"], 0);
  EXPECT_EQ(prop(t, "examples_field")["examples"].size(), 2u);
}

TEST_F(Doc31, ContentMediaTypeFileInMultipart) {
  const Tool& t = tool("upload");
  const KeyBinding* k = find_key(t, "image");
  ASSERT_NE(k, nullptr);
  EXPECT_TRUE(k->is_file);
  EXPECT_EQ(prop(t, "image")["required"], json::array({"data"}));
  EXPECT_FALSE(find_key(t, "caption")->is_file);
}

TEST_F(DuvoDoc, SkillsMultipartWithHyphenatedKeyAndFile) {
  const Tool& t = tool("createSkill");
  EXPECT_EQ(t.binding.body, BodyEncoding::multipart);
  EXPECT_NE(find_key(t, "allowed-tools"), nullptr);
  EXPECT_TRUE(find_key(t, "file")->is_file);
  EXPECT_TRUE(required_has(t, "file"));
}

TEST_F(DuvoDoc, FilePathKeepsSlashByMarker) {
  const Tool& t = tool("readFile");
  EXPECT_TRUE(find_key(t, "path")->allow_slash);
  EXPECT_FALSE(find_key(tool("getAgent"), "agent_id")->allow_slash);
}

}  // namespace
}  // namespace mcpw::flatten
