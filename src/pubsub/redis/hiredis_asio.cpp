// hiredis_asio: the ev hooks of a hiredis async context as readiness waits on its socket, in Asio.
#include "hiredis_asio.hpp"

#include <hiredis/async.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/system/error_code.hpp>
#include <memory>
#include <utility>

namespace sluice::pubsub::detail {
namespace {

namespace asio = boost::asio;

// One context's watcher. hiredis holds a plain pointer to it (ac->ev.data) from attach to cleanup; it keeps
// itself alive in between (self_), and every pending wait holds it too, so a wait that completes after
// hiredis freed the context (from inside another handler, say) finds the watcher alive and ac_ null.
//
// hiredis wants "level" readiness: addRead/addWrite ask to be told while the socket is readable/writable.
// Each async_wait reports readiness once; a handler re-arms its wait for as long as hiredis still wants it.
class watcher final : public std::enable_shared_from_this<watcher> {
 public:
  watcher(redisAsyncContext* ac, asio::io_context& io, hiredis_cleanup_fn on_cleanup, void* arg)
      : ac_(ac), socket_(io), on_cleanup_(on_cleanup), arg_(arg) {}
  ~watcher() { forget_socket(); }
  watcher(const watcher&) = delete;
  watcher& operator=(const watcher&) = delete;

  bool install() {
    boost::system::error_code ec;
    socket_.assign(ac_->c.fd, ec);
    if (ec) return false;
    self_ = shared_from_this();
    ac_->ev.data = this;
    ac_->ev.addRead = &watcher::add_read;
    ac_->ev.delRead = &watcher::del_read;
    ac_->ev.addWrite = &watcher::add_write;
    ac_->ev.delWrite = &watcher::del_write;
    ac_->ev.cleanup = &watcher::cleanup;
    // Writable means connected (or failed): hiredis completes the connect on the first readiness.
    want_read_ = true;
    want_write_ = true;
    arm_read();
    arm_write();
    return true;
  }

 private:
  static watcher* of(void* p) { return static_cast<watcher*>(p); }
  static void add_read(void* p) {
    of(p)->want_read_ = true;
    of(p)->arm_read();
  }
  static void del_read(void* p) { of(p)->want_read_ = false; }
  static void add_write(void* p) {
    of(p)->want_write_ = true;
    of(p)->arm_write();
  }
  static void del_write(void* p) { of(p)->want_write_ = false; }
  static void cleanup(void* p) { of(p)->detach(); }

  void arm_read() {
    if (reading_ || ac_ == nullptr) return;
    reading_ = true;
    socket_.async_wait(
        asio::posix::descriptor_base::wait_read,
        [self = shared_from_this()](const boost::system::error_code& ec) { self->readable(ec); });
  }
  void arm_write() {
    if (writing_ || ac_ == nullptr) return;
    writing_ = true;
    socket_.async_wait(
        asio::posix::descriptor_base::wait_write,
        [self = shared_from_this()](const boost::system::error_code& ec) { self->writable(ec); });
  }

  void readable(const boost::system::error_code& ec) {
    reading_ = false;
    if (ec || ac_ == nullptr || !want_read_) return;
    redisAsyncHandleRead(ac_);  // may free the context: detach() has then run and ac_ is null
    if (want_read_) arm_read();
  }
  void writable(const boost::system::error_code& ec) {
    writing_ = false;
    if (ec || ac_ == nullptr || !want_write_) return;
    redisAsyncHandleWrite(ac_);  // may free the context, as above
    if (want_write_) arm_write();
  }

  // hiredis is freeing the context: stop watching the socket (without closing it: hiredis does), cancel the
  // waits (they complete with operation_aborted and find ac_ null), tell the owner, and let go of ourselves.
  void detach() {
    const auto keep = std::move(self_);
    redisAsyncContext* ac = std::exchange(ac_, nullptr);
    want_read_ = false;
    want_write_ = false;
    forget_socket();
    if (on_cleanup_ != nullptr) on_cleanup_(arg_, ac);
  }

  void forget_socket() noexcept {
    if (socket_.is_open()) {
      boost::system::error_code ignored;
      socket_.cancel(ignored);
      (void)socket_.release();  // Asio stops watching; the descriptor stays open for hiredis to close
    }
  }

  redisAsyncContext* ac_;
  asio::posix::stream_descriptor socket_;
  hiredis_cleanup_fn on_cleanup_;
  void* arg_;
  std::shared_ptr<watcher> self_;  // set from install() to cleanup: hiredis's ev.data points here
  bool want_read_ = false;
  bool want_write_ = false;
  bool reading_ = false;  // a wait_read is pending
  bool writing_ = false;  // a wait_write is pending
};

}  // namespace

bool attach_asio(redisAsyncContext* ac, boost::asio::io_context& io, hiredis_cleanup_fn on_cleanup,
                 void* arg) {
  if (ac == nullptr || ac->ev.data != nullptr || ac->c.fd < 0) return false;
  const auto w = std::make_shared<watcher>(ac, io, on_cleanup, arg);
  return w->install();
}

}  // namespace sluice::pubsub::detail
