//! Waiting for the first of three futures, without allocation or dependencies.

use core::future::{Future, poll_fn};
use core::pin::pin;
use core::task::Poll;

/// Which future completed first.
pub(super) enum First<A, B, C> {
    /// The first argument.
    A(A),
    /// The second.
    B(B),
    /// The third.
    C(C),
}

/// Polls `a`, then `b` and `c` (`c` before `b` when `c_first`), and completes with the first
/// that is ready; the others are dropped. Whatever a dropped future had in flight must survive
/// the drop (the driver only passes cancel-safe futures here).
pub(super) async fn first<A: Future, B: Future, C: Future>(
    a: A,
    b: B,
    c: C,
    c_first: bool,
) -> First<A::Output, B::Output, C::Output> {
    let mut a = pin!(a);
    let mut b = pin!(b);
    let mut c = pin!(c);
    poll_fn(|cx| {
        if let Poll::Ready(out) = a.as_mut().poll(cx) {
            return Poll::Ready(First::A(out));
        }
        if c_first && let Poll::Ready(out) = c.as_mut().poll(cx) {
            return Poll::Ready(First::C(out));
        }
        if let Poll::Ready(out) = b.as_mut().poll(cx) {
            return Poll::Ready(First::B(out));
        }
        if !c_first && let Poll::Ready(out) = c.as_mut().poll(cx) {
            return Poll::Ready(First::C(out));
        }
        Poll::Pending
    })
    .await
}

/// The output of `future`, or never when there is none.
pub(super) async fn maybe<F: Future>(future: Option<F>) -> F::Output {
    match future {
        Some(future) => future.await,
        None => core::future::pending().await,
    }
}
