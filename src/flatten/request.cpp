// Flat arguments -> HTTP request (flatten.h build_request).

#include <algorithm>
#include <map>

#include "flatten/encoding.h"
#include "flatten/flatten.h"
#include "flatten/style.h"

namespace mcpw::flatten {
namespace {

using namespace detail;

std::string did_you_mean(std::string_view key, const Binding& b) {
  std::string best;
  std::size_t best_d = SIZE_MAX;
  for (const KeyBinding& k : b.keys) {
    const std::size_t d = edit_distance(key, k.flat_key);
    if (d < best_d) {
      best_d = d;
      best = k.flat_key;
    }
  }
  std::string msg = "unknown argument \"" + std::string(key) + "\"";
  if (!best.empty() && best_d <= std::max<std::size_t>(2, key.size() / 3)) msg += "; did you mean \"" + best + "\"?";
  else if (!b.keys.empty()) {
    msg += "; known:";
    for (const KeyBinding& k : b.keys) msg += " " + k.flat_key;
  }
  return msg;
}

// RFC 7578 multipart/form-data, with a boundary derived from the content so
// the output is deterministic (sans-I/O: no random bytes needed).
struct Part {
  std::string name, filename, content_type, data;
};

std::string quote_param(std::string_view s) {
  // RFC 7578 §4.2: names are quoted strings; '"', CR, LF and '%' are
  // percent-encoded (as browsers do for '"', CR and LF) so parsing is exact.
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += "%22";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else if (c == '%') out += "%25";
    else out.push_back(c);
  }
  return out + "\"";
}

std::pair<std::string, std::string> build_multipart(const std::vector<Part>& parts) {
  std::uint64_t h = fnv1a64("mcpw");
  for (const Part& p : parts) h ^= fnv1a64(p.data) + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  std::string boundary;
  for (int n = 0;; ++n) {
    boundary = "mcpw-" + hex_digits(h + static_cast<std::uint64_t>(n) * 0x9e3779b97f4a7c15ull, 16);
    const bool clash = std::any_of(parts.begin(), parts.end(), [&](const Part& p) {
      return p.data.find(boundary) != std::string::npos;
    });
    if (!clash) break;
  }
  std::string body;
  for (const Part& p : parts) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=" + quote_param(p.name);
    if (!p.filename.empty()) body += "; filename=" + quote_param(p.filename);
    body += "\r\n";
    if (!p.content_type.empty()) body += "Content-Type: " + p.content_type + "\r\n";
    body += "\r\n" + p.data + "\r\n";
  }
  body += "--" + boundary + "--\r\n";
  return {"multipart/form-data; boundary=" + boundary, body};
}

Result<Part> file_part(const std::string& name, const json& v) {
  auto data = find_string(v, "data");
  if (!data) return Error(BAD_ARGUMENT, "file \"" + name + "\" needs {data (base64), mimeType?, filename?}");
  auto bytes = base64_decode(*data);
  if (!bytes) return Error(BAD_ARGUMENT, "file \"" + name + "\": data is not valid base64");
  const std::string_view mime = find_string(v, "mimeType").value_or("application/octet-stream");
  // It becomes a header line of the part: no CR/LF (header injection), no
  // control or non-ASCII bytes, no edge spaces (RFC 9110 §8.3.1 media-type).
  const bool mime_ok = !mime.empty() && mime.front() != ' ' && mime.back() != ' ' &&
                       std::all_of(mime.begin(), mime.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
  if (!mime_ok) return Error(BAD_ARGUMENT, "file \"" + name + "\": mimeType is not a media type");
  Part p{name, std::string(find_string(v, "filename").value_or("")),
         std::string(find_string(v, "mimeType").value_or("application/octet-stream")), std::move(*bytes)};
  if (p.filename.empty()) p.filename = name;
  return p;
}

// The flat key an argument error is about, as the error's data ({"key": ...}),
// so hosts can point at it (JSON Pointer "/<key>").
Error about_key(Error e, std::string_view key) {
  if (e.data_json.empty()) e.data_json = dump_json(json{{"key", key}});
  return e;
}

}  // namespace

Result<HttpRequest> build_request(const Binding& b, const json& args) {
  if (!args.is_object()) return Error(BAD_ARGUMENT, "arguments must be a JSON object");
  std::map<std::string, const KeyBinding*> by_key;
  for (const KeyBinding& k : b.keys) by_key[k.flat_key] = &k;
  json extra = json::object();
  for (auto it = args.begin(); it != args.end(); ++it) {
    if (by_key.count(it.key())) continue;
    if (b.body_spread && b.body_additional) {
      extra[it.key()] = it.value();
      continue;
    }
    return about_key(Error(UNKNOWN_ARGUMENT, did_you_mean(it.key(), b)), it.key());
  }

  HttpRequest req;
  req.method = b.method;
  std::map<std::string, std::string> path_values;
  std::vector<std::string> query, cookies;
  json body_obj = json::object();
  std::vector<Part> parts;
  std::vector<std::string> form;
  bool have_body = false;
  std::optional<json> whole;

  for (const KeyBinding& k : b.keys) {
    const json* v = find_member(args, k.flat_key);
    const bool send_null = v && v->is_null() && k.nullable &&
                           (k.location == Location::body_field || k.location == Location::body) &&
                           b.body == BodyEncoding::json;
    if (v && v->is_null() && !send_null) v = nullptr;  // null = omitted where null cannot be sent
    // RFC 6570 §2.3: an empty list or map is undefined, i.e. not sent.
    if (v && k.location != Location::body_field && k.location != Location::body && !k.content_json &&
        (v->is_array() || v->is_object()) && v->empty()) {
      v = nullptr;
    }
    if (!v) {
      if (!k.required) continue;
      return about_key(Error(MISSING_ARGUMENT, "missing required argument \"" + k.flat_key + "\""), k.flat_key);
    }
    switch (k.location) {
      case Location::path: {
        auto s = expand_path(k, *v);
        if (!s) return about_key(s.take_error(), k.flat_key);
        path_values[k.name] = std::move(s.value());
        break;
      }
      case Location::query: {
        auto q = expand_query(k, *v);
        if (!q) return about_key(q.take_error(), k.flat_key);
        query.insert(query.end(), q->begin(), q->end());
        break;
      }
      case Location::header: {
        auto h = expand_header(k, *v);
        if (!h) return about_key(h.take_error(), k.flat_key);
        req.headers.emplace_back(k.name, std::move(h.value()));
        break;
      }
      case Location::cookie: {
        auto c = expand_cookie(k, *v);
        if (!c) return about_key(c.take_error(), k.flat_key);
        cookies.insert(cookies.end(), c->begin(), c->end());
        break;
      }
      case Location::body_field:
        have_body = true;
        if (b.body == BodyEncoding::json) {
          body_obj[k.name] = *v;
        } else if (b.body == BodyEncoding::form) {
          const std::vector<json> items = v->is_array() ? std::vector<json>(v->begin(), v->end()) : std::vector<json>{*v};
          for (const json& e : items) form.push_back(form_encode(k.name) + "=" + form_encode(scalar_text(e)));
        } else if (b.body == BodyEncoding::multipart) {
          if (k.is_file) {
            auto p = file_part(k.name, *v);
            if (!p) return about_key(p.take_error(), k.flat_key);
            parts.push_back(std::move(p.value()));
          } else if (v->is_array() && schema_shape(k.schema, b.defs) == Shape::array) {
            for (const json& e : *v) {
              const bool structured = e.is_object() || e.is_array();
              parts.push_back({k.name, "", structured ? "application/json" : "", scalar_text(e)});
            }
          } else {
            const bool structured = v->is_object() || v->is_array();
            parts.push_back({k.name, "", structured ? "application/json" : "", scalar_text(*v)});
          }
        }
        break;
      case Location::body:
        whole = *v;
        break;
    }
  }
  for (auto it = extra.begin(); it != extra.end(); ++it) {
    if (it->is_null()) continue;
    have_body = true;
    if (b.body == BodyEncoding::json) body_obj[it.key()] = it.value();
    else if (b.body == BodyEncoding::form) form.push_back(form_encode(it.key()) + "=" + form_encode(scalar_text(it.value())));
    else if (b.body == BodyEncoding::multipart) parts.push_back({it.key(), "", "", scalar_text(it.value())});
  }

  // Path: RFC 6570 level-1..3 expressions "{name}" of the template.
  std::string target;
  const std::string& t = b.path_template;
  for (std::size_t i = 0; i < t.size();) {
    if (t[i] != '{') {
      target.push_back(t[i++]);
      continue;
    }
    const std::size_t close = t.find('}', i);
    if (close == std::string::npos) return Error(BAD_ARGUMENT, "unclosed '{' in path template " + t);
    const std::string name = t.substr(i + 1, close - i - 1);
    auto pv = path_values.find(name);
    if (pv == path_values.end()) return Error(MISSING_ARGUMENT, "missing path parameter \"" + name + "\"");
    target += pv->second;
    i = close + 1;
  }
  if (!query.empty()) {
    target += "?";
    for (std::size_t i = 0; i < query.size(); ++i) target += (i ? "&" : "") + query[i];
  }
  req.target = std::move(target);
  if (!cookies.empty()) {
    std::string c;
    for (std::size_t i = 0; i < cookies.size(); ++i) c += (i ? "; " : "") + cookies[i];
    req.headers.emplace_back("Cookie", std::move(c));
  }

  // Body.
  if (b.body == BodyEncoding::none) return req;
  if (b.body_spread) {
    if (!have_body && !b.body_required) return req;
    if (b.body == BodyEncoding::json) {
      req.body = dump_json(body_obj);
      req.headers.emplace_back("Content-Type", b.media_type);
    } else if (b.body == BodyEncoding::form) {
      for (std::size_t i = 0; i < form.size(); ++i) req.body += (i ? "&" : "") + form[i];
      req.headers.emplace_back("Content-Type", b.media_type);
    } else {
      auto [ct, body] = build_multipart(parts);
      req.headers.emplace_back("Content-Type", ct);
      req.body = std::move(body);
    }
    return req;
  }
  if (!whole) return req;
  switch (b.body) {
    case BodyEncoding::json: req.body = dump_json(*whole); break;
    case BodyEncoding::text:
      if (!whole->is_string()) return Error(BAD_ARGUMENT, "a text body must be a string");
      req.body = whole->get<std::string>();
      break;
    case BodyEncoding::binary: {
      if (!whole->is_string()) return Error(BAD_ARGUMENT, "a binary body must be a base64 string");
      auto bytes = base64_decode(whole->get_ref<const std::string&>());
      if (!bytes) return Error(BAD_ARGUMENT, "body is not valid base64");
      req.body = std::move(*bytes);
      break;
    }
    default: return Error(BAD_ARGUMENT, "this body cannot be sent whole");
  }
  req.headers.emplace_back("Content-Type", b.media_type);
  return req;
}

}  // namespace mcpw::flatten
