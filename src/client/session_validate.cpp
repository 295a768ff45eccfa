// Response validation (issue: response validation): each result against its
// method's shape for the negotiated revision (src/shapes), tools/call's
// structuredContent against the tool's outputSchema, and optionally a call's
// arguments against its inputSchema before it is sent. Tool schemas are kept
// exactly as the server sent them and compiled on first use, once per list.
#include <string>

#include "client/session.h"
#include "shapes/shapes.h"

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
  // compiled from it on first use, compared as text on a refresh.
  std::map<std::string, ToolSchemas> before;
  if (whole_list) before.swap(tools_);
  auto& known = whole_list ? before : tools_;
  const auto schema_text = [&](std::uint32_t tool, std::string_view key) {
    const std::uint32_t s = schema::find_member_node(tape, tool, key);
    return s && tape.nodes[s].kind == NodeKind::object ? schema::container_text(list.text, tape.nodes[s]) : std::string_view();
  };
  for (std::uint32_t t = tools + 1; t < tape.nodes[tools].end; t = tape.nodes[t].end) {
    const std::uint32_t name_node = schema::find_member_node(tape, t, "name");
    if (!name_node || tape.nodes[name_node].kind != NodeKind::string) continue;
    std::string name(tape.str(tape.nodes[name_node]));
    const std::string_view in = schema_text(t, "inputSchema"), out = schema_text(t, "outputSchema");
    if (auto it = known.find(name); it != known.end() && it->second.input.source == in && it->second.output.source == out) {
      if (whole_list) tools_.insert(before.extract(it));
      continue;
    }
    ToolSchemas entry;
    entry.input.source = std::string(in);
    entry.output.source = std::string(out);
    tools_[std::move(name)] = std::move(entry);
  }
}

std::optional<Error> Session::check_arguments(const json& params) {
  auto name = find_string(params, "name");
  if (!name) return std::nullopt;
  auto it = tools_.find(std::string(*name));
  if (it == tools_.end() || it->second.input.source.empty()) return std::nullopt;
  const schema::CompiledSchema* s = tool_schema(it->first, it->second.input);
  if (!s) return std::nullopt;
  const json* args = find_member(params, "arguments");
  auto out = failures(*s, args ? dump_json(*args) : std::string("{}"));
  if (!out) return std::nullopt;
  return failure_error(VALIDATION_ARGUMENTS, "invalid arguments for tool \"" + it->first + "\"",
                       json{{"method", "tools/call"}, {"tool", it->first}}, *out);
}

void Session::check_result(const Op& op, Result<json>& result, std::string& text, std::string_view raw_text,
                           const ScannedResult* scanned) {
  if (!result.ok()) return;
  const bool is_tools_list = op.method == "tools/list";
  const bool whole_list = op.kind == OpKind::list_all && !find_string(op.params, "cursor");
  std::optional<Error> problem;
  // A task-augmented request (spec: 2025-11-25 basic/utilities/tasks) is
  // answered with a CreateTaskResult, not its method's result: unchecked.
  const bool task = find_member(op.params, "task") != nullptr;
  if (config_.validation != Validation::off && !task) {
    if (const schema::CompiledSchema* shape = shapes::result_validator(protocol_version_, op.method)) {
      // A scanned result is judged on its tape; only a failure reads it again for the errors.
      if (!scanned) text = raw_text.empty() ? dump_json(*result) : std::string(raw_text);
      const auto verdict = scanned ? shape->is_valid_tape(*scanned->tape, scanned->node) : Result<bool>(false);
      const bool valid = verdict.ok() && *verdict;
      if (auto out = valid ? std::nullopt : failures(*shape, scanned ? raw_text : std::string_view(text))) {
        problem = failure_error(VALIDATION_RESULT,
                                op.method + " result does not match the " + protocol_version_ + " schema",
                                json{{"method", op.method}}, *out);
      }
    }
    // isError and structuredContent: off the tape, or the DOM.
    static const schema::Tape no_tape;
    const schema::Tape& tape = scanned ? *scanned->tape : no_tape;
    const auto tape_member = [&](std::string_view key) { return schema::find_member_node(tape, scanned->node, key); };
    const auto is_error = [&] {
      if (!scanned) return find_bool(*result, "isError").value_or(false);
      const std::uint32_t e = tape_member("isError");
      return e && tape.nodes[e].kind == schema::NodeKind::boolean && tape.nodes[e].flag;
    };
    if (!problem && op.method == "tools/call" && !is_error()) {
      auto name = find_string(op.params, "name");
      auto it = name ? tools_.find(std::string(*name)) : tools_.end();
      if (it != tools_.end() && !it->second.output.source.empty()) {
        const json context{{"method", op.method}, {"tool", it->first}};
        if (const schema::CompiledSchema* s = tool_schema(it->first, it->second.output)) {
          const json* structured = scanned ? nullptr : find_member(*result, "structuredContent");
          const std::uint32_t structured_node = scanned ? tape_member("structuredContent") : 0;
          const auto structured_failures = [&]() -> std::optional<schema::ValidationOutput> {
            if (!scanned) return failures(*s, dump_json(*structured));
            const auto verdict = s->is_valid_tape(tape, structured_node);
            if (verdict.ok() && *verdict) return std::nullopt;
            return failures(*s, schema::node_text(tape, structured_node, scanned->text));
          };
          if (!structured && !structured_node) {
            problem = Error(VALIDATION_STRUCTURED,
                            "tool \"" + it->first + "\" declares an outputSchema but its result has no structuredContent",
                            dump_json(json{{"method", op.method}, {"tool", it->first}, {"errors", json::array()}}));
          } else if (auto out = structured_failures()) {
            problem = failure_error(VALIDATION_STRUCTURED,
                                    "structuredContent of tool \"" + it->first + "\" does not match its outputSchema",
                                    context, *out);
          }
        }
      }
    }
  }
  // A list scanned already, else its text (written above, as the server
  // sent it, or written now) scanned here.
  const auto remember = [&] {
    if (!is_tools_list) return;
    if (scanned) {
      remember_tools(*scanned, whole_list);
      return;
    }
    const std::string written = text.empty() && raw_text.empty() ? dump_json(*result) : std::string();
    const std::string_view list = !text.empty() ? std::string_view(text) : !raw_text.empty() ? raw_text : written;
    schema::Tape tape;
    if (schema::scan_tape_from_text(list, config_.json_limits, tape).ok()) remember_tools(ScannedResult{&tape, 0, list}, whole_list);
  };
  if (!problem) {
    remember();
    return;
  }
  if (config_.validation == Validation::strict) {
    result = std::move(*problem);
    return;
  }
  remember();
  auto data = parse_ordered_json(problem->data_json);
  json warning = data.ok() ? std::move(*data) : json::object();
  warning["code"] = problem->id.id;
  warning["message"] = problem->message;
  warnings_.push_back(std::move(warning));
}

}  // namespace mcpw::client
