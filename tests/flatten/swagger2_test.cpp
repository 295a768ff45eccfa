// Swagger 2.0 input (flatten.h swagger2_to_openapi3): each conversion rule on
// data/swagger-2.0.json, then the usual flattening rules on the result.
// kubernetes-client's real Swagger 2.0 documents: external_docs_test.cpp.

#include <gtest/gtest.h>

#include "flatten/flatten.h"
#include "test_support.h"

namespace mcpw::flatten {
namespace {

using testing::find_key;
using testing::find_tool;
using testing::flatten_file;

class SwaggerDoc : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { result_ = new FlattenResult(flatten_file("swagger-2.0.json")); }
  static void TearDownTestSuite() { delete result_; }
  const Tool& tool(std::string_view name) { return testing::tool_or_fail(*result_, name); }
  static const KeyBinding& key(const Tool& t, std::string_view k) {
    const KeyBinding* b = find_key(t, k);
    EXPECT_NE(b, nullptr) << t.name << " " << k;
    static const KeyBinding kEmpty{};
    return b ? *b : kEmpty;
  }
  static FlattenResult* result_;
};
FlattenResult* SwaggerDoc::result_ = nullptr;

TEST_F(SwaggerDoc, ServerFromHostBasePathAndFirstScheme) {
  EXPECT_EQ(tool("listPets").binding.server, "http://api.example.test/v2");
}

TEST_F(SwaggerDoc, CollectionFormatsBecomeStyles) {
  const Tool& t = tool("listPets");
  EXPECT_EQ(key(t, "limit").location, Location::query);  // a #/parameters/ ref, inlined
  EXPECT_EQ(key(t, "limit").schema.value("maximum", 0), 100);
  const KeyBinding& tags = key(t, "tags");  // no collectionFormat: csv
  EXPECT_EQ(tags.style, Style::form);
  EXPECT_FALSE(tags.explode);
  EXPECT_TRUE(key(t, "ids").explode);  // multi
  EXPECT_EQ(key(t, "words").style, Style::space_delimited);
  EXPECT_EQ(key(t, "flags").style, Style::pipe_delimited);
  auto req = build_request(t.binding, json{{"tags", {"a", "b"}}, {"ids", {1, 2}}, {"words", {"x", "y"}}});
  ASSERT_TRUE(req.ok()) << req.error().message;
  EXPECT_EQ(req->target, "/pets?tags=a,b&ids=1&ids=2&words=x%20y");
}

TEST_F(SwaggerDoc, TsvHasNoStyleAndTheOperationIsLeftOut) {
  EXPECT_EQ(find_tool(*result_, "tabSeparated"), nullptr);
  bool found = false;
  for (const Diagnostic& d : result_->diagnostics) {
    if (d.where == "get /tsv" && d.id == std::string(UNSUPPORTED_PARAMETER.id)) found = true;
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(result_->diagnostics.size(), 1u);
}

TEST_F(SwaggerDoc, BodyParameterBecomesASpreadJsonBody) {
  const Tool& t = tool("createPet");
  EXPECT_EQ(t.binding.body, BodyEncoding::json);  // consumes "*/*": JSON
  EXPECT_EQ(t.binding.media_type, "application/json");
  EXPECT_TRUE(t.binding.body_spread);
  EXPECT_TRUE(t.binding.body_required);
  EXPECT_EQ(find_key(t, "id"), nullptr);  // readOnly
  EXPECT_TRUE(key(t, "tag").nullable);    // x-nullable
  EXPECT_TRUE(key(t, "name").required);
  EXPECT_TRUE(t.input_schema.contains("$defs"));  // Pet.parent is a cycle
  // A #/responses/ ref with a #/definitions/ schema is the output schema.
  ASSERT_TRUE(t.output_schema.is_object());
  EXPECT_TRUE(t.output_schema["properties"].contains("name"));
  auto req = build_request(t.binding, json{{"name", "Rex"}, {"tag", nullptr}});
  ASSERT_TRUE(req.ok()) << req.error().message;
  EXPECT_EQ(req->body, R"({"name":"Rex","tag":null})");
}

TEST_F(SwaggerDoc, PathLevelParametersAndOperationOverride) {
  const Tool& t = tool("getPet");
  EXPECT_EQ(key(t, "petId").location, Location::path);
  EXPECT_TRUE(key(t, "petId").required);
  EXPECT_EQ(key(t, "X-Trace").schema.value("description", ""), "operation-level wins");
  EXPECT_EQ(t.binding.keys.size(), 2u);
}

TEST_F(SwaggerDoc, QueryAndBodyFieldClashGetsSuffix) {
  const Tool& t = tool("deletePet");
  EXPECT_EQ(key(t, "gracePeriodSeconds").location, Location::query);
  EXPECT_EQ(key(t, "gracePeriodSeconds_body").location, Location::body_field);
  const json args = {{"petId", 7}, {"gracePeriodSeconds", 5}, {"gracePeriodSeconds_body", 10}, {"dryRun", {"All"}}};
  auto req = build_request(t.binding, args);
  ASSERT_TRUE(req.ok()) << req.error().message;
  EXPECT_EQ(req->method, "DELETE");
  EXPECT_EQ(req->target, "/pets/7?gracePeriodSeconds=5");
  EXPECT_EQ(req->body, R"({"dryRun":["All"],"gracePeriodSeconds":10})");
  auto back = parse_request(t.binding, req.value());
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back.value(), args);
}

TEST_F(SwaggerDoc, FormDataWithAFileIsMultipart) {
  const Tool& t = tool("uploadPhoto");
  EXPECT_EQ(t.binding.body, BodyEncoding::multipart);
  EXPECT_TRUE(key(t, "file").is_file);
  EXPECT_TRUE(key(t, "file").required);
  EXPECT_FALSE(key(t, "caption").required);
  const json args = {{"petId", 1}, {"caption", "hi"},
                     {"file", {{"data", "AAEC"}, {"mimeType", "image/png"}, {"filename", "a.png"}}}};
  auto req = build_request(t.binding, args);
  ASSERT_TRUE(req.ok()) << req.error().message;
  auto back = parse_request(t.binding, req.value());
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back.value(), args);
}

TEST_F(SwaggerDoc, FormDataWithoutAFileIsUrlencoded) {
  const Tool& t = tool("renamePet");
  EXPECT_EQ(t.binding.body, BodyEncoding::form);
  auto req = build_request(t.binding, json{{"petId", 1}, {"name", "a b"}, {"aliases", {"x", "y"}}});
  ASSERT_TRUE(req.ok()) << req.error().message;
  EXPECT_EQ(req->body, "aliases=x&aliases=y&name=a+b");  // schema property order
}

TEST_F(SwaggerDoc, NoOperationIdAndAFileResponse) {
  const Tool& t = tool("get_files_path");
  EXPECT_TRUE(t.output_schema.is_null());  // type: file under octet-stream is no JSON output
  EXPECT_TRUE(key(t, "path").required);
}

TEST(Swagger2, ConverterRefusesOtherDocuments) {
  EXPECT_TRUE(swagger2_to_openapi3(json{{"openapi", "3.0.0"}}).error().is(NOT_OPENAPI));
  auto bad_ref = flatten_openapi(json{{"swagger", "2.0"},
                                      {"paths", {{"/a", {{"get", {{"parameters", {{{"$ref", "#/parameters/Nope"}}}},
                                                                  {"responses", json::object()}}}}}}}});
  ASSERT_TRUE(bad_ref.ok());
  ASSERT_EQ(bad_ref->diagnostics.size(), 1u);
  EXPECT_EQ(bad_ref->diagnostics[0].id, std::string(BAD_REF.id));
  // A body and form fields in one operation cannot both be the body.
  auto both = flatten_openapi(json{
      {"swagger", "2.0"},
      {"paths", {{"/a", {{"post", {{"parameters", {{{"name", "b"}, {"in", "body"}, {"schema", {{"type", "object"}}}},
                                                   {{"name", "f"}, {"in", "formData"}, {"type", "string"}}}},
                                   {"responses", json::object()}}}}}}}});
  ASSERT_TRUE(both.ok());
  ASSERT_EQ(both->diagnostics.size(), 1u);
  EXPECT_EQ(both->diagnostics[0].id, std::string(UNSUPPORTED_BODY.id));
}

}  // namespace
}  // namespace mcpw::flatten
