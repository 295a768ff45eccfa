#include "fetch_job.h"

#include <emscripten/val.h>

#include <string>

namespace mcpw::bindings {

using emscripten::val;

namespace {
int g_live_jobs = 0;

// A JS function that calls method `name` of the Embind handle `self`.
val bind_method(const val& self, const char* name) { return self[name].call<val>("bind", self); }
}  // namespace

int live_jobs() { return g_live_jobs; }

FetchJob::FetchJob(std::weak_ptr<Core> core, transport::ExchangeId exchange)
    : core_(std::move(core)), exchange_(exchange) {
  ++g_live_jobs;
}

FetchJob::~FetchJob() { --g_live_jobs; }

val FetchJob::start(const std::shared_ptr<Core>& core, const transport::HttpRequest& request) {
  auto job = std::make_shared<FetchJob>(core, request.exchange);
  val self(job);  // the handle owns one reference until `.finally(delete)`
  val headers = val::object();
  for (const auto& [name, value] : request.headers) headers.set(name, value);
  val init = val::object();
  init.set("method", request.method);
  init.set("headers", headers);
  if (!request.body.empty()) init.set("body", request.body);
  val controller = val::global("AbortController").new_();
  init.set("signal", controller["signal"]);
  core->controllers.emplace(request.exchange, controller);
  job->on_chunk_ = bind_method(self, "onChunk");
  job->on_error_ = bind_method(self, "onError");
  // host.fetch never throws: it returns a Promise that may reject.
  return core->host.call<val>("fetch", request.url, init)
      .call<val>("then", bind_method(self, "onResponse"))
      .call<val>("catch", job->on_error_)
      .call<val>("finally", bind_method(self, "delete"));
}

val FetchJob::on_response(val response) {
  auto core = core_.lock();
  if (!core || !core->controllers.count(exchange_)) return val::undefined();
  transport::HttpResponseHead head;
  head.status = response["status"].as<int>();  // host.fetch checked it is a Response
  val headers = response["headers"];
  for (std::string_view name : transport::RESPONSE_HEADERS) {
    val v = headers.call<val>("get", std::string(name));
    if (v.isString()) head.headers.emplace_back(std::string(name), v.as<std::string>());
  }
  core->session.handle_response_head(exchange_, head, core->now());
  core->pump();
  if (!core->controllers.count(exchange_)) return val::undefined();  // no longer wanted
  val body = response["body"];
  if (body.isNull() || body.isUndefined()) {
    core->controllers.erase(exchange_);
    core->session.handle_body_end(exchange_, core->now());
    core->pump();
    return val::undefined();
  }
  reader_ = body.call<val>("getReader");
  return read_next();
}

val FetchJob::read_next() { return reader_.call<val>("read").call<val>("then", on_chunk_); }

val FetchJob::on_chunk(val result) {
  auto core = core_.lock();
  if (!core || !core->controllers.count(exchange_)) return val::undefined();
  if (result["done"].as<bool>()) {
    core->controllers.erase(exchange_);
    core->session.handle_body_end(exchange_, core->now());
    core->pump();
    return val::undefined();
  }
  val chunk = result["value"];
  const std::size_t n = chunk["length"].as<std::size_t>();
  core->scratch.resize(n);
  if (n > 0) {
    // One copy from the JS Uint8Array into Wasm memory (view made after resize).
    val(emscripten::typed_memory_view(n, reinterpret_cast<unsigned char*>(core->scratch.data())))
        .call<void>("set", chunk);
  }
  core->session.handle_body(exchange_, core->scratch, core->now());
  core->pump();
  if (!core->controllers.count(exchange_)) return val::undefined();  // aborted by the session
  return read_next();
}

void FetchJob::on_error(val error) {
  on_chunk_ = val::undefined();
  on_error_ = val::undefined();
  auto core = core_.lock();
  if (!core) return;
  if (core->controllers.erase(exchange_) == 0) return;  // we aborted it ourselves
  std::string message = core->host.call<std::string>("describeError", error);
  core->session.handle_network_error(exchange_, message, core->now());
  core->pump();
}

}  // namespace mcpw::bindings
