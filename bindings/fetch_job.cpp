// One HTTP exchange performed by the host (web/src/client.mjs runs fetch and
// reads the body in JS): the request goes out in one host call, the head,
// body bytes and end come back through flat Driver methods. Body bytes are
// written by the host straight into a Wasm buffer (body_buffer), one copy.
#include <emscripten/val.h>

#include <cstring>
#include <string>

#include "driver.h"

namespace mcpw::bindings {

namespace {
int g_live_jobs = 0;

bool has_separator(const std::string& s) { return s.find_first_of(std::string_view("\n\0", 2)) != std::string::npos; }
}  // namespace

int live_jobs() { return g_live_jobs; }
void fetch_ended() { --g_live_jobs; }

void Core::start_fetch(const transport::HttpRequest& request) {
  // Headers travel as "name\nvalue\n..."; no legitimate name or value holds
  // a line break or NUL (fetch itself refuses them): such a request fails.
  std::string headers;
  for (const auto& [name, value] : request.headers) {
    if (has_separator(name) || has_separator(value)) {
      session.handle_network_error(request.exchange, "TypeError: invalid header " + name.substr(0, 100), now());
      return;
    }
    headers.append(name).push_back('\n');
    headers.append(value).push_back('\n');
  }
  fetches.insert(request.exchange);
  ++g_live_jobs;
  // host.fetch never throws: failures come back through on_error.
  host.call<void>("fetch", static_cast<double>(request.exchange), request.method, request.url, headers, request.body);
}

bool Driver::wanted(double ex, double now) {
  core_->last_now = static_cast<std::uint64_t>(now);
  return core_->fetches.count(static_cast<transport::ExchangeId>(ex)) != 0;
}

void Driver::on_head(double ex, int status, std::string headers, double now) {
  if (!wanted(ex, now)) return;
  transport::HttpResponseHead head;
  head.status = status;
  std::string_view rest(headers);
  while (!rest.empty()) {
    auto a = rest.find('\n');
    if (a == std::string_view::npos) break;
    auto b = rest.find('\n', a + 1);
    if (b == std::string_view::npos) break;
    head.headers.emplace_back(std::string(rest.substr(0, a)), std::string(rest.substr(a + 1, b - a - 1)));
    rest.remove_prefix(b + 1);
  }
  core_->session.handle_response_head(static_cast<transport::ExchangeId>(ex), head, core_->last_now);
  core_->pump();
}

double Driver::body_buffer(double n) {
  core_->scratch.resize(static_cast<std::size_t>(n));
  return static_cast<double>(reinterpret_cast<std::uintptr_t>(core_->scratch.data()));
}

void Driver::on_body(double ex, double n, double now) {
  if (!wanted(ex, now)) return;
  const auto size = std::min(static_cast<std::size_t>(n), core_->scratch.size());
  core_->session.handle_body(static_cast<transport::ExchangeId>(ex), std::string_view(core_->scratch.data(), size),
                             core_->last_now);
  core_->pump();
}

void Driver::on_end(double ex, double now) {
  fetch_ended();
  if (!wanted(ex, now)) return;
  core_->fetches.erase(static_cast<transport::ExchangeId>(ex));
  core_->session.handle_body_end(static_cast<transport::ExchangeId>(ex), core_->last_now);
  core_->pump();
}

void Driver::on_error(double ex, std::string message, double now) {
  fetch_ended();
  if (!wanted(ex, now)) return;  // we aborted it ourselves
  core_->fetches.erase(static_cast<transport::ExchangeId>(ex));
  core_->session.handle_network_error(static_cast<transport::ExchangeId>(ex), message, core_->last_now);
  core_->pump();
}

}  // namespace mcpw::bindings
