//! Connections: accepting, limiting and closing them, so that no client
//! can stall the server. hyper serves each connection (HTTP/1.1, the
//! axum router as its service) with a header-read timeout that also ends
//! idle keep-alive connections; a cap on open connections answers 503
//! beyond it; shutdown lets answers in flight finish for a grace period,
//! then drops what is left.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, UnixListener};
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// What one client may hold, and for how long.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Open connections at once; beyond it a new one gets 503 and is closed.
    pub max_connections: usize,
    /// Time to send a request's headers, and to start the next request on
    /// a kept-alive connection.
    pub header_timeout: Duration,
    /// After a stop, how long answers in flight may take before their
    /// connections are dropped.
    pub shutdown_grace: Duration,
    /// How long a write may wait for a client that does not read; then the
    /// connection is dropped, with the answer it was holding.
    pub write_stall: Duration,
}

impl Default for Limits {
    /// Ten seconds for headers, five of grace at shutdown, and a
    /// connection cap that leaves room under the process's file limit for
    /// the snapshot, the watcher and the files being read.
    fn default() -> Limits {
        Limits {
            max_connections: default_max_connections(),
            header_timeout: Duration::from_secs(10),
            shutdown_grace: Duration::from_secs(5),
            write_stall: Duration::from_secs(30),
        }
    }
}

/// Three quarters of the soft descriptor limit, less a reserve, within
/// 16..=4096.
pub fn default_max_connections() -> usize {
    descriptor_budget().clamp(16, 4096)
}

fn descriptor_budget() -> usize {
    #[cfg(unix)]
    {
        let mut rl = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes the struct we pass and nothing else.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut rl) } == 0 {
            let soft = usize::try_from(rl.rlim_cur).unwrap_or(usize::MAX);
            return soft.saturating_sub(64) / 4 * 3;
        }
    }
    1024
}

/// A listening socket: TCP, or the repository's Unix socket.
pub trait Accept: Send {
    type Io: AsyncRead + AsyncWrite + Unpin + Send + 'static;
    fn accept(&self) -> impl Future<Output = io::Result<Self::Io>> + Send;
}

impl Accept for TcpListener {
    type Io = tokio::net::TcpStream;
    async fn accept(&self) -> io::Result<Self::Io> {
        TcpListener::accept(self).await.map(|(s, _)| s)
    }
}

impl Accept for UnixListener {
    type Io = tokio::net::UnixStream;
    async fn accept(&self) -> io::Result<Self::Io> {
        UnixListener::accept(self).await.map(|(s, _)| s)
    }
}

/// Serve `app` on `listener` until `stop` resolves.
pub async fn serve<L: Accept>(
    listener: L,
    app: Router,
    limits: Limits,
    stop: impl std::future::Future<Output = ()>,
) {
    let open = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(stream) => stream,
                Err(e) => {
                    // out of descriptors, or a connection reset while queued:
                    // wait a little rather than spin
                    tracing::warn!("accept: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            tokio::spawn(refuse(stream, limits.max_connections));
            continue;
        };
        let service = app
            .clone()
            .map_request(|r: axum::http::Request<Incoming>| r.map(Body::new));
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout);
        let io = TokioIo::new(Stalling::new(stream, limits.write_stall));
        let conn = http.serve_connection(io, TowerToHyperService::new(service));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!("connection: {e}");
            }
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(limits.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            "shutdown: connections still open after {:?} were dropped",
            limits.shutdown_grace
        );
    }
}

/// Tell a client over the cap why, and close.
async fn refuse(mut stream: impl AsyncWrite + Unpin, cap: usize) {
    let body = weft_db::api::error_body(
        503,
        &format!("weft serve holds {cap} connections, its limit: retry shortly"),
    );
    let head = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {}\r\nretry-after: 1\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let write = async {
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(&body).await?;
        stream.shutdown().await
    };
    let _ = tokio::time::timeout(Duration::from_secs(1), write).await;
}

/// A socket whose writes fail once one has waited `limit` for the client to
/// read: a client that asks for a large answer and never reads it would
/// otherwise hold that answer's memory for as long as it likes.
struct Stalling<S> {
    inner: S,
    limit: Duration,
    since: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<S> Stalling<S> {
    fn new(inner: S, limit: Duration) -> Self {
        Stalling {
            inner,
            limit,
            since: None,
        }
    }

    /// A write's outcome, as the caller sees it: a pending write starts the
    /// clock, or fails once it has run out; a finished one stops it.
    fn watch<T>(
        &mut self,
        cx: &mut Context<'_>,
        polled: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        if !polled.is_pending() {
            self.since = None;
            return polled;
        }
        let limit = self.limit;
        let sleep = self
            .since
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match sleep.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("the client read nothing for {limit:?}"),
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Stalling<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Stalling<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.watch(cx, polled)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.watch(cx, polled)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let polled = Pin::new(&mut self.inner).poll_flush(cx);
        self.watch(cx, polled)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
