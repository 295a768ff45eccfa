// Response validation (issue: response validation): each result against its
// method's shape for the negotiated revision (src/shapes), tools/call's
// structuredContent against the tool's outputSchema, and optionally a call's
// arguments against its inputSchema before it is sent. Tool schemas are kept
// exactly as the server sent them and compiled on first use, once per list.
#include <string>

#include "client/session.h"
#include "shapes/shapes.h"
#include "support/bytes.h"

namespace mcpw::client {
namespace {

constexpr std::size_t MAX_REPORTED_ERRORS = 20;

// Flag verdict first (stops early); the error list only for a failure.
std::optional<schema::ValidationOutput> failures(const schema::CompiledSchema& s, std::string_view text) {
  auto verdict = s.validate_text(text);
  if (verdict.ok() && verdict->valid) return std::nullopt;
  if (!verdict.ok()) {
    schema::ValidationOutput out;
    out.errors.push_back({"", "", verdict.error().message});
    return out;
  }
  auto basic = s.validate_text(text, schema::OutputFormat::basic);
  if (!basic.ok()) return schema::ValidationOutput{};
  return std::move(*basic);
}

// "what: /a/b must be ...; /c ... (and N more)", plus the units as data.
Error failure_error(ErrorId id, const std::string& what, const json& context, const schema::ValidationOutput& out) {
  std::string message = what;
  json errors = json::array();
  for (const auto& e : out.errors) {
    if (errors.size() < MAX_REPORTED_ERRORS) {
      errors.push_back(json{{"instanceLocation", e.instance_location},
                            {"keywordLocation", e.keyword_location},
                            {"message", e.message}});
    }
  }
  for (std::size_t i = 0; i < out.errors.size() && i < 3; ++i) {
    const auto& e = out.errors[i];
    message += i == 0 ? ": " : "; ";
    message += (e.instance_location.empty() ? std::string("(root)") : e.instance_location) + " " + e.message;
  }
  if (out.errors.size() > 3) message += " (and " + std::to_string(out.errors.size() - 3) + " more)";
  json data = context;
  data["errors"] = std::move(errors);
  return Error(id, std::move(message), dump_json(data));
}

}  // namespace

std::optional<json> Session::poll_warning() {
  if (warnings_.empty()) return std::nullopt;
  json w = std::move(warnings_.front());
  warnings_.pop_front();
  return w;
}

const schema::CompiledSchema* Session::tool_schema(const std::string& tool, ToolSchema& s) {
  if (!s.tried) {
    s.tried = true;
    auto plain = parse_json(s.source, config_.json_limits);
    auto compiled = plain.ok() ? schema::CompiledSchema::compile(*plain) : Result<schema::CompiledSchema>(plain.error());
    if (compiled.ok()) {
      s.compiled = std::make_shared<const schema::CompiledSchema>(std::move(*compiled));
    } else {
      // A schema we cannot compile cannot judge a value: the calls go
      // unchecked, and the host hears of it once.
      warnings_.push_back(json{{"code", compiled.error().id.id},
                               {"message", "tool \"" + tool + "\" has a schema that cannot be compiled (" +
                                               compiled.error().message + "): its values are not checked"},
                               {"tool", tool}});
    }
  }
  return s.compiled.get();
}

void Session::remember_tools(const ScannedResult& list, bool whole_list) {
  using schema::NodeKind;
  const schema::Tape& tape = *list.tape;
  const std::uint32_t tools = schema::find_member_node(tape, list.node, "tools");
  if (!tools || tape.nodes[tools].kind != NodeKind::array) return;
  // A whole list replaces the tools; one that did not change keeps its entry
  // (its compiled programs). Schemas are kept as the text the server sent:
  // compiled from it on first use, compared as text on a refresh. Entries
  // are updated in place and those the list no longer names are dropped
  // after it (moving 1,000 entries out of the map and back in was 5% of a
  // changed list's CPU in workerd).
  const std::uint32_t generation = ++tools_generation_;
  const auto schema_text = [&](std::uint32_t tool, std::string_view key) {
    const std::uint32_t s = schema::find_member_node(tape, tool, key);
    return s && tape.nodes[s].kind == NodeKind::object ? schema::container_text(list.text, tape.nodes[s]) : std::string_view();
  };
  // A known tool's schema: one compiled (or tried) keeps its program while
  // its text is unchanged; one never used takes the new text with no
  // comparison (copying 1.4 MB of schemas costs less than comparing them).
  const auto refresh_schema = [](ToolSchema& s, std::string_view text) {
    if (!s.tried) {
      s.source.assign(text);
    } else if (!equal_bytes(s.source, text)) {
      s = ToolSchema{std::string(text), nullptr, false};
    }
  };
  for (std::uint32_t t = tools + 1; t < tape.nodes[tools].end; t = tape.nodes[t].end) {
    const std::uint32_t name_node = schema::find_member_node(tape, t, "name");
    if (!name_node || tape.nodes[name_node].kind != NodeKind::string) continue;
    const std::string_view name = tape.str(tape.nodes[name_node]);
    const std::string_view in = schema_text(t, "inputSchema"), out = schema_text(t, "outputSchema");
    if (auto it = tools_.find(name); it != tools_.end()) {
      refresh_schema(it->second.input, in);
      refresh_schema(it->second.output, out);
      it->second.listed = generation;
      continue;
    }
    ToolSchemas entry;
    entry.input.source = std::string(in);
    entry.output.source = std::string(out);
    entry.listed = generation;
    tools_.emplace(std::string(name), std::move(entry));
  }
  if (whole_list) std::erase_if(tools_, [&](const auto& tool) { return tool.second.listed != generation; });
}

std::optional<Error> Session::check_arguments(const json& params) {
  auto name = find_string(params, "name");
  if (!name) return std::nullopt;
  auto it = tools_.find(*name);
  if (it == tools_.end() || it->second.input.source.empty()) return std::nullopt;
  const schema::CompiledSchema* s = tool_schema(it->first, it->second.input);
  if (!s) return std::nullopt;
  const json* args = find_member(params, "arguments");
  auto out = failures(*s, args ? dump_json(*args) : std::string("{}"));
  if (!out) return std::nullopt;
  return failure_error(VALIDATION_ARGUMENTS, "invalid arguments for tool \"" + it->first + "\"",
                       json{{"method", "tools/call"}, {"tool", it->first}}, *out);
}

void Session::check_result(const Op& op, Result<json>& result, std::string& text, const ScannedResult* scanned) {
  if (!result.ok() || (scanned && scanned->verdict_known)) return;
  const bool is_tools_list = op.method == "tools/list";
  const bool whole_list = op.kind == OpKind::list_all && !find_string(op.params, "cursor");
  // A task-augmented request (spec: 2025-11-25 basic/utilities/tasks) is
  // answered with a CreateTaskResult, not its method's result: unchecked.
  const bool check = config_.validation != Validation::off && find_member(op.params, "task") == nullptr;
  const schema::CompiledSchema* shape = check ? shapes::result_validator(protocol_version_, op.method) : nullptr;
  const bool check_output = check && op.method == "tools/call";
  if (!shape && !check_output && !is_tools_list) {
    memoize_list(op, scanned, true);
    return;
  }
  // Everything below reads the result off a tape: the scanner's, else (an
  // answer parse_message decoded) the DOM written out for the host and scanned.
  schema::Tape own_tape;
  ScannedResult own;
  if (!scanned) {
    text = dump_json(*result);
    schema::reserve_nodes(own_tape, text.size());
    if (Status read = schema::scan_tape_from_text(text, config_.json_limits, own_tape); !read) {
      result = read.take_error();
      return;
    }
    own = ScannedResult{&own_tape, 0, text};
    scanned = &own;
  }
  const schema::Tape& tape = *scanned->tape;
  // Verdicts are judged on the tape in place; only a failure reads the text again for the errors.
  const auto judge = [&](const schema::CompiledSchema& s, std::uint32_t node) -> std::optional<schema::ValidationOutput> {
    const auto verdict = s.is_valid_tape(tape, node);
    if (verdict.ok() && *verdict) return std::nullopt;
    return failures(s, schema::node_text(tape, node, scanned->text));
  };
  std::optional<Error> problem;
  if (shape) {
    if (auto out = judge(*shape, scanned->node)) {
      problem = failure_error(VALIDATION_RESULT, op.method + " result does not match the " + protocol_version_ + " schema",
                              json{{"method", op.method}}, *out);
    }
  }
  const auto member = [&](std::string_view key) { return schema::find_member_node(tape, scanned->node, key); };
  const std::uint32_t is_error = member("isError");
  if (!problem && check_output && !(is_error && tape.nodes[is_error].kind == schema::NodeKind::boolean && tape.nodes[is_error].flag)) {
    auto name = find_string(op.params, "name");
    auto it = name ? tools_.find(*name) : tools_.end();
    if (it != tools_.end() && !it->second.output.source.empty()) {
      if (const schema::CompiledSchema* s = tool_schema(it->first, it->second.output)) {
        const std::uint32_t structured = member("structuredContent");
        if (!structured) {
          problem = Error(VALIDATION_STRUCTURED,
                          "tool \"" + it->first + "\" declares an outputSchema but its result has no structuredContent",
                          dump_json(json{{"method", op.method}, {"tool", it->first}, {"errors", json::array()}}));
        } else if (auto out = judge(*s, structured)) {
          problem = failure_error(VALIDATION_STRUCTURED,
                                  "structuredContent of tool \"" + it->first + "\" does not match its outputSchema",
                                  json{{"method", op.method}, {"tool", it->first}}, *out);
        }
      }
    }
  }
  if (problem && config_.validation == Validation::strict) {
    result = std::move(*problem);
    return;
  }
  if (is_tools_list) remember_tools(*scanned, whole_list);
  memoize_list(op, scanned, !problem);
  if (!problem) return;
  auto data = parse_ordered_json(problem->data_json);
  json warning = data.ok() ? std::move(*data) : json::object();
  warning["code"] = problem->id.id;
  warning["message"] = problem->message;
  warnings_.push_back(std::move(warning));
}

}  // namespace mcpw::client
