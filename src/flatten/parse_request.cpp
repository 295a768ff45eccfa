// HTTP request -> flat arguments (flatten.h parse_request): the inverse of
// request.cpp, for servers built from the same document and for the
// round-trip property tests.

#include <algorithm>

#include "flatten/encoding.h"
#include "flatten/flatten.h"
#include "flatten/style.h"

namespace mcpw::flatten {
namespace {

using namespace detail;

Error bad(std::string msg) { return Error(BAD_REQUEST, std::move(msg)); }

const std::string* header(const HttpRequest& r, std::string_view name) {
  const std::string lower = ascii_lower(name);
  for (const auto& [n, v] : r.headers) {
    if (ascii_lower(n) == lower) return &v;
  }
  return nullptr;
}

std::vector<std::pair<std::string, std::string>> split_pairs(std::string_view s, std::string_view sep) {
  std::vector<std::pair<std::string, std::string>> out;
  if (s.empty()) return out;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = s.find(sep, start);
    std::string_view piece = s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start);
    const std::size_t eq = piece.find('=');
    if (eq == std::string_view::npos) out.emplace_back(std::string(piece), "");
    else out.emplace_back(std::string(piece.substr(0, eq)), std::string(piece.substr(eq + 1)));
    if (at == std::string_view::npos) return out;
    start = at + sep.size();
  }
}

// The path template cut at its variables:
// text[0] {names[0]} text[1] ... {names[n-1]} text[n].
struct PathTemplate {
  std::vector<std::string_view> text;
  std::vector<std::string> names;
};

Result<PathTemplate> cut_template(std::string_view tmpl) {
  PathTemplate t;
  std::size_t at = 0;
  while (true) {
    const std::size_t open = tmpl.find('{', at);
    if (open == std::string_view::npos) {
      t.text.push_back(tmpl.substr(at));
      return t;
    }
    t.text.push_back(tmpl.substr(at, open - at));
    const std::size_t close = tmpl.find('}', open);
    if (close == std::string_view::npos) return bad("unclosed '{' in template");
    t.names.emplace_back(tmpl.substr(open + 1, close - open - 1));
    at = close + 1;
    // "{a}{b}": no text says where a ends, so no split can be trusted
    // (build_request writes such paths; only reading them back is refused).
    if (at < tmpl.size() && tmpl[at] == '{') {
      return bad("ambiguous path template: variables {" + t.names.back() + "} and the next have no text between them");
    }
  }
}

// Finds the ways a path reads as the template's values, stopping at two (two
// means the path is ambiguous). Variable i's value holds only bytes that
// `raw_ok(i, c)` allows and must pass `value_ok(i, value)`; a variable used
// twice reads the same in both places. Both tests look at one value only, so
// whether a (variable, position) state leads anywhere depends on that state
// alone: dead states are remembered when no name repeats, which keeps the
// search polynomial; a step budget (candidates tried and bytes scanned)
// bounds it in every case.
template <class RawOk, class ValueOk>
class PathSplitter {
 public:
  PathSplitter(const PathTemplate& t, std::string_view path, RawOk raw_ok, ValueOk value_ok)
      : t_(t), path_(path), raw_ok_(raw_ok), value_ok_(value_ok), values_(t.names.size()) {
    bool repeats = false;
    for (std::size_t i = 0; i < t.names.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) repeats = repeats || t.names[i] == t.names[j];
    }
    const std::size_t states = t.names.size() * (path.size() + 1);
    if (!repeats && states <= kMaxMemo) dead_.assign(states, 0);
  }

  void run() {
    if (path_.substr(0, t_.text[0].size()) != t_.text[0]) return;
    if (t_.names.empty()) {
      if (path_.size() == t_.text[0].size()) found_.emplace_back();
      return;
    }
    search(0, t_.text[0].size());
  }

  const std::vector<std::vector<std::string_view>>& found() const { return found_; }
  bool exhausted() const { return steps_ > kMaxSteps; }
  const std::string* differed() const { return differed_; }

 private:
  static constexpr std::size_t kMaxSteps = std::size_t{1} << 20;
  static constexpr std::size_t kMaxMemo = std::size_t{1} << 22;

  void search(std::size_t i, std::size_t p) {
    const std::size_t state = i * (path_.size() + 1) + p;
    if (!dead_.empty() && dead_[state]) return;
    const std::size_t before = found_.size();
    const std::string_view lit = t_.text[i + 1];
    const bool last = i + 1 == t_.names.size();
    std::size_t limit = p;  // the value may end anywhere up to its first disallowed byte
    while (limit < path_.size() && raw_ok_(i, static_cast<unsigned char>(path_[limit]))) ++limit;
    steps_ += limit - p;  // the scan is work too: a long path of repeated literals stays bounded
    if (steps_ > kMaxSteps) return;
    std::size_t e = last ? path_.size() - std::min(path_.size(), lit.size()) : path_.find(lit, p);
    if (last && (e < p || path_.substr(e) != lit)) e = std::string_view::npos;
    for (; e != std::string_view::npos && e <= limit; e = last ? std::string_view::npos : path_.find(lit, e + 1)) {
      if (++steps_ > kMaxSteps) return;
      values_[i] = path_.substr(p, e - p);
      if (!consistent(i)) {
        if (!differed_) differed_ = &t_.names[i];
        continue;
      }
      if (!value_ok_(i, values_[i])) continue;
      if (!last) {
        search(i + 1, e + lit.size());
      } else {
        found_.push_back(values_);
      }
      if (found_.size() >= 2 || exhausted()) return;
    }
    if (!dead_.empty() && found_.size() == before) dead_[state] = 1;
  }

  bool consistent(std::size_t i) const {
    for (std::size_t j = 0; j < i; ++j) {
      if (t_.names[j] == t_.names[i] && values_[j] != values_[i]) return false;
    }
    return true;
  }

  const PathTemplate& t_;
  std::string_view path_;
  RawOk raw_ok_;
  ValueOk value_ok_;
  std::vector<std::string_view> values_;
  std::vector<std::vector<std::string_view>> found_;
  std::vector<unsigned char> dead_;
  std::size_t steps_ = 0;
  const std::string* differed_ = nullptr;
};

// Matches the path against the template. A value holds the bytes
// build_request could have written for it first ("/m/{id}-0/x" with id "a-0";
// "/{a}-x({b}" where only "(" settles the split); then, for other clients'
// encoders, any bytes. A path that still reads more than one way is refused.
Result<std::vector<std::pair<std::string, std::string>>> match_path(const Binding& b, std::string_view path) {
  auto cut = cut_template(b.path_template);
  if (!cut) return cut.take_error();
  const PathTemplate& t = *cut;
  std::vector<const KeyBinding*> keys(t.names.size(), nullptr);
  for (std::size_t i = 0; i < t.names.size(); ++i) {
    for (const KeyBinding& k : b.keys) {
      if (k.location == Location::path && k.name == t.names[i]) keys[i] = &k;
    }
  }
  const auto reads = [&](std::size_t i, std::string_view value) {
    return !keys[i] || read_path(*keys[i], value, b.defs).ok();
  };
  const std::string* differed = nullptr;
  for (const bool strict : {true, false}) {
    const auto raw_ok = [&](std::size_t i, unsigned char c) { return !strict || !keys[i] || path_raw_char(*keys[i], c); };
    PathSplitter splitter(t, path, raw_ok, reads);
    splitter.run();
    if (splitter.exhausted()) return bad("path too ambiguous to read back");
    if (!differed) differed = splitter.differed();
    const auto& found = splitter.found();
    if (found.size() > 1) return bad("ambiguous path: the template's values can be read from it in more than one way");
    if (found.size() == 1) {
      std::vector<std::pair<std::string, std::string>> vars;
      for (std::size_t i = 0; i < t.names.size(); ++i) vars.emplace_back(t.names[i], found[0][i]);
      return vars;
    }
  }
  if (differed) return bad("path does not match the template: {" + *differed + "} differs between its places");
  return bad("path does not match the template");
}

struct PartIn {
  std::string name, filename, content_type, data;
};

Result<std::vector<PartIn>> split_multipart(std::string_view content_type, std::string_view body) {
  const std::size_t at = content_type.find("boundary=");
  if (at == std::string_view::npos) return bad("multipart without boundary");
  std::string boundary(content_type.substr(at + 9));
  if (const std::size_t semi = boundary.find(';'); semi != std::string::npos) boundary.resize(semi);
  if (boundary.size() >= 2 && boundary.front() == '"' && boundary.back() == '"') boundary = boundary.substr(1, boundary.size() - 2);
  const std::string delim = "--" + boundary;
  std::vector<PartIn> parts;
  std::size_t pos = body.find(delim);
  if (pos == std::string_view::npos) return bad("multipart body without boundary line");
  while (true) {
    pos += delim.size();
    if (body.substr(pos, 2) == "--") return parts;
    if (body.substr(pos, 2) != "\r\n") return bad("malformed multipart boundary line");
    pos += 2;
    const std::size_t head_end = body.find("\r\n\r\n", pos);
    if (head_end == std::string_view::npos) return bad("multipart part without header end");
    const std::size_t next = body.find("\r\n" + delim, head_end + 4);
    if (next == std::string_view::npos) return bad("unterminated multipart part");
    PartIn p;
    p.data = std::string(body.substr(head_end + 4, next - head_end - 4));
    std::string_view head = body.substr(pos, head_end - pos);
    while (!head.empty()) {
      const std::size_t eol = head.find("\r\n");
      std::string_view line = head.substr(0, eol);
      head = eol == std::string_view::npos ? std::string_view() : head.substr(eol + 2);
      const std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      const std::string name = ascii_lower(line.substr(0, colon));
      std::string value(line.substr(colon + 1));
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      if (name == "content-type") p.content_type = value;
      if (name == "content-disposition") {
        auto param = [&](std::string_view key) -> std::string {
          const std::string needle = "; " + std::string(key) + "=\"";
          std::size_t s = value.find(needle);
          if (s == std::string::npos) return {};
          s += needle.size();
          const std::size_t e = value.find('"', s);
          if (e == std::string::npos) return {};
          return pct_decode(std::string_view(value).substr(s, e - s)).value_or("");
        };
        p.name = param("name");
        p.filename = param("filename");
      }
    }
    parts.push_back(std::move(p));
    pos = next + 2;
  }
}

}  // namespace

Result<json> parse_request(const Binding& b, const HttpRequest& r) {
  if (r.method != b.method) return bad("method " + r.method + " is not " + b.method);
  const json& defs = b.defs;
  std::string_view target = r.target;
  const std::size_t qmark = target.find('?');
  std::string_view path = target.substr(0, qmark);
  std::string_view query = qmark == std::string_view::npos ? std::string_view() : target.substr(qmark + 1);
  json args = json::object();

  auto vars = match_path(b, path);
  if (!vars) return vars.take_error();
  // Names are compared decoded (other encoders write "%5B" for "[" or
  // lower-case hex); values stay encoded until their style is known.
  auto decode_names = [](std::vector<std::pair<std::string, std::string>> pairs) -> Result<decltype(pairs)> {
    for (auto& [n, v] : pairs) {
      auto d = pct_decode(n);
      if (!d) return bad("bad percent-encoding in a parameter name");
      n = std::move(*d);
    }
    return pairs;
  };
  auto query_decoded = decode_names(split_pairs(query, "&"));
  if (!query_decoded) return query_decoded.take_error();
  auto query_pairs = std::move(query_decoded.value());
  std::vector<bool> query_used(query_pairs.size(), false);
  std::vector<std::pair<std::string, std::string>> cookie_pairs;
  if (const std::string* c = header(r, "Cookie")) {
    auto cookie_decoded = decode_names(split_pairs(*c, "; "));
    if (!cookie_decoded) return cookie_decoded.take_error();
    cookie_pairs = std::move(cookie_decoded.value());
  }
  std::vector<bool> cookie_used(cookie_pairs.size(), false);

  // Named parameters first; exploded form objects then own what is left.
  auto is_free_object = [&](const KeyBinding& k) {
    return k.style == Style::form && k.explode && !k.content_json && schema_shape(k.schema, defs) == Shape::object;
  };
  for (int pass = 0; pass < 2; ++pass) {
    for (const KeyBinding& k : b.keys) {
      if ((k.location == Location::query || k.location == Location::cookie) && is_free_object(k) != (pass == 1))
        continue;
      if (pass == 1 && k.location != Location::query && k.location != Location::cookie) continue;
      Result<json> v = json();
      switch (k.location) {
        case Location::path: {
          auto it = std::find_if(vars->begin(), vars->end(), [&](const auto& e) { return e.first == k.name; });
          if (it == vars->end()) return bad("template lacks {" + k.name + "}");
          v = read_path(k, it->second, defs);
          break;
        }
        case Location::query: v = read_pairs(k, query_pairs, query_used, defs); break;
        case Location::cookie: v = read_pairs(k, cookie_pairs, cookie_used, defs); break;
        case Location::header:
          if (const std::string* h = header(r, k.name)) v = read_header(k, *h, defs);
          break;
        default: continue;
      }
      if (!v) return v.take_error();
      if (!v->is_null()) args[k.flat_key] = std::move(v.value());
    }
  }
  for (std::size_t i = 0; i < query_pairs.size(); ++i) {
    if (!query_used[i]) return bad("unexpected query parameter \"" + query_pairs[i].first + "\"");
  }

  if (b.body == BodyEncoding::none) return args;
  const std::string* ct = header(r, "Content-Type");
  if (!ct) return args;  // no body sent
  auto field_of = [&](std::string_view name) -> const KeyBinding* {
    for (const KeyBinding& k : b.keys) {
      if (k.location == Location::body_field && k.name == name) return &k;
    }
    return nullptr;
  };
  auto extra_ok = [&](const std::string& name) -> Status {
    if (!b.body_additional) return bad("unexpected body field \"" + name + "\"");
    return {};
  };
  if (!b.body_spread) {
    const KeyBinding* whole = nullptr;
    for (const KeyBinding& k : b.keys) {
      if (k.location == Location::body) whole = &k;
    }
    if (!whole) return bad("binding has no body key");
    switch (b.body) {
      case BodyEncoding::json: {
        auto j = parse_json(r.body);
        if (!j) return bad("body is not JSON");
        args[whole->flat_key] = std::move(j.value());
        break;
      }
      case BodyEncoding::text: args[whole->flat_key] = r.body; break;
      case BodyEncoding::binary: args[whole->flat_key] = base64_encode(r.body); break;
      default: return bad("body encoding cannot be whole");
    }
    return args;
  }
  if (b.body == BodyEncoding::json) {
    auto j = parse_json(r.body);
    if (!j || !j->is_object()) return bad("body is not a JSON object");
    for (auto it = j->begin(); it != j->end(); ++it) {
      if (const KeyBinding* k = field_of(it.key())) {
        args[k->flat_key] = it.value();
      } else {
        if (auto st = extra_ok(it.key()); !st) return st.take_error();
        args[it.key()] = it.value();
      }
    }
    return args;
  }
  if (b.body == BodyEncoding::form) {
    for (const auto& [rn, rv] : split_pairs(r.body, "&")) {
      auto name = pct_decode(rn, true);
      auto text = pct_decode(rv, true);
      if (!name || !text) return bad("bad form encoding");
      const KeyBinding* k = field_of(*name);
      if (!k) {
        if (auto st = extra_ok(*name); !st) return st.take_error();
        args[*name] = *text;
        continue;
      }
      if (schema_shape(k->schema, defs) == Shape::array) {
        auto v = value_from_text(find_member(deref(k->schema, defs), "items") ? *find_member(deref(k->schema, defs), "items")
                                                                               : json::object(),
                                 *text, defs);
        if (!v) return v.take_error();
        if (!args.contains(k->flat_key)) args[k->flat_key] = json::array();
        args[k->flat_key].push_back(std::move(v.value()));
      } else {
        auto v = value_from_text(k->schema, *text, defs);
        if (!v) return v.take_error();
        args[k->flat_key] = std::move(v.value());
      }
    }
    return args;
  }
  auto parts = split_multipart(*ct, r.body);
  if (!parts) return parts.take_error();
  for (const PartIn& p : *parts) {
    const KeyBinding* k = field_of(p.name);
    if (!k) {
      if (auto st = extra_ok(p.name); !st) return st.take_error();
      args[p.name] = p.data;
      continue;
    }
    if (k->is_file) {
      args[k->flat_key] = json{{"data", base64_encode(p.data)}, {"mimeType", p.content_type}, {"filename", p.filename}};
      continue;
    }
    const bool is_array = schema_shape(k->schema, defs) == Shape::array;
    const json* items = find_member(deref(k->schema, defs), "items");
    const json item_schema = is_array && items ? *items : (is_array ? json::object() : k->schema);
    Result<json> v = json();
    if (p.content_type == "application/json") {
      auto j = parse_json(p.data);
      if (!j) return bad("part \"" + p.name + "\" is not JSON");
      v = std::move(j.value());
    } else {
      v = value_from_text(item_schema, p.data, defs);
    }
    if (!v) return v.take_error();
    if (is_array) {
      if (!args.contains(k->flat_key)) args[k->flat_key] = json::array();
      args[k->flat_key].push_back(std::move(v.value()));
    } else {
      args[k->flat_key] = std::move(v.value());
    }
  }
  return args;
}

}  // namespace mcpw::flatten
