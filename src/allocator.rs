//! How the `leimu` process sets up glibc's allocator, so that freeing the
//! millions of small strings of a large ingest stays linear.
//!
//! glibc keeps freed small chunks in "fastbins" and merges them all with
//! their neighbours (`malloc_consolidate`) before each larger request. With a
//! heap far larger than the caches, each merge walks chunks scattered over
//! it: text-guide at x1000 spent 16% of its time there (2% at x10), and its
//! time per byte grew 1.37x from x10 to x1000. Without fastbins
//! (`M_MXFAST = 0`) chunks are merged as they are freed: 1.08x, and 22% less
//! time at x1000, with the small inputs unchanged.
//!
//! A setting of the process, not of the library: binaries (the CLI, the
//! benches' probes) call [`tune`] first thing. Elsewhere it does nothing.

/// Turns glibc's fastbins off; a no-op on other platforms and C libraries.
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes an allocator parameter; M_MXFAST = 0 is a
    // documented value, and glibc applies it under its own arena locks.
    unsafe {
        libc::mallopt(libc::M_MXFAST, 0);
    }
}
