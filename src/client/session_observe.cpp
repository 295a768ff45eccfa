// What a host may watch: the connection state as it changes, and an opt-in
// trace of HTTP exchanges with every credential redacted.
#include "client/session.h"

#include <array>

namespace mcpw::client {

namespace {

constexpr std::string_view REDACTED = "[redacted]";

// Header names whose values are credentials (compared case-insensitively).
constexpr std::array<std::string_view, 6> SECRET_HEADERS = {"authorization", "proxy-authorization", "cookie",
                                                            "set-cookie", "dpop", "x-api-key"};
// Query and form parameters that carry secrets in OAuth exchanges.
constexpr std::array<std::string_view, 8> SECRET_PARAMS = {"code",          "state",        "access_token", "refresh_token",
                                                           "client_secret", "code_verifier", "id_token",     "assertion"};

bool is_secret_header(std::string_view name) {
  for (auto s : SECRET_HEADERS) {
    if (transport::iequals(name, s)) return true;
  }
  // Anything that calls itself a key, token or secret.
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return lower.find("token") != std::string::npos || lower.find("secret") != std::string::npos ||
         lower.find("api-key") != std::string::npos;
}

std::string redact_query(std::string url) {
  auto q = url.find('?');
  if (q == std::string::npos) return url;
  std::string out = url.substr(0, q + 1);
  std::string_view rest = std::string_view(url).substr(q + 1);
  bool first = true;
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view kv = rest.substr(0, amp);
    auto eq = kv.find('=');
    std::string_view key = kv.substr(0, eq);
    bool secret = false;
    for (auto s : SECRET_PARAMS) secret |= key == s;
    if (!first) out += '&';
    first = false;
    out += secret && eq != std::string_view::npos ? std::string(key) + "=" + std::string(REDACTED) : std::string(kv);
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return out;
}

}  // namespace

void Session::trace_event(json record) {
  if (trace_.size() >= 1000) return;  // bounded when nobody reads it
  record["at"] = now_;
  if (json* headers = record.contains("headers") ? &record["headers"] : nullptr) {
    for (auto& [name, value] : headers->items()) {
      if (is_secret_header(name)) value = REDACTED;
    }
  }
  if (record.contains("url") && record["url"].is_string()) record["url"] = redact_query(record["url"].get<std::string>());
  trace_.push_back(std::move(record));
}

std::optional<json> Session::poll_trace() {
  if (trace_.empty()) return std::nullopt;
  json r = std::move(trace_.front());
  trace_.pop_front();
  return r;
}

std::optional<std::string> Session::poll_state_change() {
  std::string now;
  switch (state_) {
    case State::idle: return std::nullopt;
    case State::initializing: now = was_ready_ ? "reconnecting" : "connecting"; break;
    case State::ready: now = "ready"; was_ready_ = true; break;
    case State::failed: now = "failed"; break;
    case State::closed: now = "closed"; break;
  }
  if (now == reported_state_) return std::nullopt;
  reported_state_ = now;
  return now;
}

}  // namespace mcpw::client
