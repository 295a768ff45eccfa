#include "support/json.h"

#include <string>

namespace mcpw {
namespace {

// Builds the DOM through nlohmann's own SAX DOM builder, refusing to go deeper
// than the limit. nlohmann's SAX parser keeps its state on a heap stack, so
// this is the only place recursion depth is decided.
template <class J>
class BoundedDomBuilder {
 public:
  using Dom = nlohmann::detail::json_sax_dom_parser<J>;
  BoundedDomBuilder(J& root, const JsonLimits& limits) : dom_(root, false), limits_(limits) {}

  bool null() { return dom_.null(); }
  bool boolean(bool v) { return dom_.boolean(v); }
  bool number_integer(typename J::number_integer_t v) { return dom_.number_integer(v); }
  bool number_unsigned(typename J::number_unsigned_t v) { return dom_.number_unsigned(v); }
  bool number_float(typename J::number_float_t v, const typename J::string_t& s) { return dom_.number_float(v, s); }
  bool string(typename J::string_t& v) { return check_string(v) && dom_.string(v); }
  bool binary(typename J::binary_t& v) { return dom_.binary(v); }
  bool start_object(std::size_t n) { return enter() && dom_.start_object(n); }
  bool key(typename J::string_t& k) { return check_string(k) && dom_.key(k); }
  bool end_object() { --depth_; return dom_.end_object(); }
  bool start_array(std::size_t n) { return enter() && dom_.start_array(n); }
  bool end_array() { --depth_; return dom_.end_array(); }
  bool parse_error(std::size_t pos, const std::string& /*token*/, const nlohmann::detail::exception& ex) {
    if (!error_) error_.emplace(JSON_SYNTAX, "JSON syntax error at byte " + std::to_string(pos) + ": " + ex.what());
    return false;
  }

  std::optional<Error>& error() { return error_; }

 private:
  bool enter() {
    if (++depth_ > limits_.max_depth) {
      error_.emplace(JSON_TOO_DEEP, "JSON nesting deeper than " + std::to_string(limits_.max_depth));
      return false;
    }
    return true;
  }
  bool check_string(const std::string& s) {
    if (s.size() > limits_.max_string) {
      error_.emplace(JSON_STRING_TOO_LONG, "JSON string longer than " + std::to_string(limits_.max_string) + " bytes");
      return false;
    }
    return true;
  }

  Dom dom_;
  const JsonLimits& limits_;
  std::size_t depth_ = 0;
  std::optional<Error> error_;
};

template <class J>
Result<J> parse_bounded(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Error(JSON_TOO_LARGE, "JSON document of " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                                     std::to_string(limits.max_bytes));
  }
  // nlohmann's lexer takes a NUL byte for the end of input ("0\0garbage"
  // would parse as 0). A raw NUL is never valid JSON (RFC 8259 §7: controls
  // are escaped in strings, and none may stand between tokens).
  if (text.find('\0') != std::string_view::npos) return Error(JSON_SYNTAX, "JSON text contains a NUL byte");
  J root;
  BoundedDomBuilder<J> builder(root, limits);
  const bool ok = J::sax_parse(text.begin(), text.end(), &builder);
  if (!ok || builder.error()) {
    if (builder.error()) return std::move(*builder.error());
    return Error(JSON_SYNTAX, "JSON syntax error");
  }
  return root;
}

}  // namespace

Result<json> parse_json(std::string_view text, const JsonLimits& limits) { return parse_bounded<json>(text, limits); }

Result<ordered_json> parse_ordered_json(std::string_view text, const JsonLimits& limits) {
  return parse_bounded<ordered_json>(text, limits);
}

std::string dump_json(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string dump_json(const ordered_json& value) {
  return value.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

}  // namespace mcpw
