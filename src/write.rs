//! The one safe writer of `normalized/`.
//!
//! [`replace_output`] replaces `root/normalized` with a new set of files so
//! that no reader and no later run ever sees a partial directory:
//!
//! 1. It takes an exclusive lock on `root/.normalized.lock` ([`OutputLock`]);
//!    a second run waits for the first (and says so on standard error).
//!    Readers ([`OutputLock::shared`]) wait for writers.
//! 2. Under the lock it removes what interrupted runs left behind (staging
//!    and set-aside directories) and reports them in [`WriteReport`].
//! 3. It writes every file into a staging directory with a unique name,
//!    fsyncing each file and directory. [`Staging`] is this directory
//!    while it is written: files are streamed into it as they are rendered
//!    ([`Staging::create`]) and each is fsynced by a [`Syncer`] thread as
//!    soon as it is complete, so the disk works while later files are
//!    rendered; [`Staging::commit`] queues the directories' fsyncs beside
//!    the last files' and waits for every fsync before the swap.
//!    Dropped without a commit, the staging directory is removed.
//! 4. It swaps the staging directory with `normalized/`: on Linux in one
//!    `renameat2(RENAME_EXCHANGE)`, so `normalized/` exists at every instant;
//!    where that is unavailable, by two renames (old aside, new in), undone
//!    if the second fails. It then fsyncs `root` while the old output is
//!    removed (several files at once: a removal mostly waits on the disk).
//!
//! A run killed at any point leaves `normalized/` as it was or as the new
//! run made it, plus leftovers that the next run removes. (With the two-rename
//! fallback, a kill between the renames leaves the old output set aside; the
//! next run puts it back before anything else.)
//!
//! It knows nothing of what the files contain.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File, TryLockError};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result};

/// The directory under the root that holds the output.
pub const OUTPUT_DIR: &str = "normalized";
/// The lock file every writer and reader of `normalized/` takes.
pub const LOCK_FILE: &str = ".normalized.lock";
/// Prefix of the staging directory a run writes before the swap.
const STAGING_PREFIX: &str = ".normalized.staging-";
/// Prefix of the old output, set aside by the two-rename fallback.
const PREVIOUS_PREFIX: &str = ".normalized.previous-";
/// The fixed staging and set-aside names of the earlier writer.
const LEGACY_STAGING: &str = ".normalized.tmp";
const LEGACY_PREVIOUS: &str = ".normalized.old";

fn is_staging(name: &str) -> bool {
    name.starts_with(STAGING_PREFIX) || name == LEGACY_STAGING
}

fn is_set_aside(name: &str) -> bool {
    name.starts_with(PREVIOUS_PREFIX) || name == LEGACY_PREVIOUS
}

/// How the new output took the place of the old one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Swap {
    /// One atomic exchange (`renameat2` with `RENAME_EXCHANGE`).
    Exchanged,
    /// Two renames: the old output aside, the new one in.
    Renamed,
    /// There was no previous output; one rename.
    Created,
}

/// What [`replace_output`] did besides writing the files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteReport {
    pub swap: Swap,
    /// Directories of interrupted runs removed before writing.
    pub removed_leftovers: Vec<PathBuf>,
    /// An output set aside by an interrupted run that was put back first.
    pub restored: Option<PathBuf>,
}

impl WriteReport {
    /// Lines for the user about what interrupted runs had left; empty if none.
    pub fn leftover_summary(&self) -> String {
        let mut out = String::new();
        if let Some(previous) = &self.restored {
            out.push_str(&format!(
                "normalized/ was missing after an interrupted run; restored it from {} first\n",
                previous.display()
            ));
        }
        for leftover in &self.removed_leftovers {
            out.push_str(&format!(
                "removed {}, left by an interrupted run\n",
                leftover.display()
            ));
        }
        out
    }
}

/// A lock on `root/normalized`, held until dropped.
#[derive(Debug)]
pub struct OutputLock {
    _file: File,
}

impl OutputLock {
    /// The writer's lock; waits, with a message, while another run holds it.
    pub fn exclusive(root: &Path) -> Result<OutputLock> {
        let (file, path) = open_lock_file(root)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                eprintln!(
                    "waiting for another run writing {} to finish (lock {})",
                    root.join(OUTPUT_DIR).display(),
                    path.display()
                );
                file.lock()
                    .with_context(|| format!("cannot lock {}", path.display()))?;
            }
            Err(TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()))
            }
        }
        Ok(OutputLock { _file: file })
    }

    /// A reader's lock: shared with other readers, excludes writers. `None`
    /// when there is no lock file and none can be created (a read-only
    /// root, where no writer can run either).
    pub fn shared(root: &Path) -> Result<Option<OutputLock>> {
        let path = root.join(LOCK_FILE);
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => match open_lock_file(root) {
                Ok((file, _)) => file,
                Err(_) => return Ok(None),
            },
            Err(e) => return Err(e).with_context(|| format!("cannot open {}", path.display())),
        };
        file.lock_shared()
            .with_context(|| format!("cannot lock {}", path.display()))?;
        Ok(Some(OutputLock { _file: file }))
    }
}

fn open_lock_file(root: &Path) -> Result<(File, PathBuf)> {
    let path = root.join(LOCK_FILE);
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open the lock file {}", path.display()))?;
    Ok((file, path))
}

/// Replaces `root/normalized` with `files` (paths relative to it, `/`-separated).
pub fn replace_output(root: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<WriteReport> {
    use rayon::prelude::*;
    let staging = Staging::begin(root)?;
    files.par_iter().try_for_each(|(relative, bytes)| {
        staging.create(relative, |out| Ok(out.write_all(bytes)?))
    })?;
    staging.commit()
}

/// A new output being written: the lock, the staging directory and the
/// files written so far. [`Staging::commit`] puts it in place; dropped
/// before that, the staging directory is removed and `normalized/` is as it was.
#[derive(Debug)]
pub struct Staging {
    root: PathBuf,
    dir: tempfile::TempDir,
    /// Fsyncs the files written.
    syncer: Syncer,
    /// Every directory a file was written in.
    dirs: Mutex<BTreeSet<PathBuf>>,
    restored: Option<PathBuf>,
    removed_leftovers: Vec<PathBuf>,
    // Last, so the directory is gone before the lock is released.
    _lock: OutputLock,
}

/// Writes of this size or more go to the file directly.
const WRITE_BUFFER: usize = 256 * 1024;

impl Staging {
    /// Takes the lock, deals with what interrupted runs left and creates
    /// the staging directory.
    pub fn begin(root: &Path) -> Result<Staging> {
        let lock = OutputLock::exclusive(root)?;
        let target = root.join(OUTPUT_DIR);
        let restored = restore_set_aside_output(root, &target)?;
        let removed_leftovers = remove_leftovers(root)?;
        let dir = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .tempdir_in(root)
            .with_context(|| format!("cannot create a staging directory in {}", root.display()))?;
        Ok(Staging {
            root: root.to_path_buf(),
            dirs: Mutex::new(BTreeSet::from([dir.path().to_path_buf()])),
            dir,
            syncer: Syncer::start(),
            restored,
            removed_leftovers,
            _lock: lock,
        })
    }

    /// The staging directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes the file at `relative` (`/`-separated) with what `render`
    /// writes. Files may be created from several threads at once.
    pub fn create(
        &self,
        relative: &str,
        render: impl FnOnce(&mut dyn Write) -> Result<()>,
    ) -> Result<()> {
        let path = self.dir.path().join(relative);
        let written = self.write_one(&path, render);
        written.with_context(|| format!("cannot write {}", path.display()))
    }

    fn write_one(
        &self,
        path: &Path,
        render: impl FnOnce(&mut dyn Write) -> Result<()>,
    ) -> Result<()> {
        if let Some(parent) = path.parent() {
            // Under the lock, so no other file is created in it before it exists.
            let mut dirs = lock(&self.dirs);
            if !dirs.contains(parent) {
                fs::create_dir_all(parent)?;
                dirs.insert(parent.to_path_buf());
            }
        }
        let mut out = BufWriter::with_capacity(WRITE_BUFFER, File::create(path)?);
        render(&mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        self.syncer.sync(path.to_path_buf(), file)
    }

    /// Writes the file at `to` as a copy of `from`, written before (the
    /// system copies it without passing the bytes through this process).
    pub fn copy(&self, from: &str, to: &str) -> Result<()> {
        let (from, to) = (self.dir.path().join(from), self.dir.path().join(to));
        let copied = fs::copy(&from, &to)
            .and_then(|_| File::options().write(true).open(&to))
            .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))?;
        if let Some(parent) = to.parent() {
            lock(&self.dirs).insert(parent.to_path_buf());
        }
        self.syncer.sync(to, copied)
    }

    /// Waits until every file and directory is fsynced, swaps the staging
    /// directory into place and removes the old output.
    pub fn commit(mut self) -> Result<WriteReport> {
        let syncer = std::mem::take(&mut self.syncer);
        // The directories are synced beside the last files rather than after
        // them: all that matters is that everything is durable before the swap.
        for d in std::mem::take(&mut *lock(&self.dirs)).iter().rev() {
            syncer.sync_dir(d)?;
        }
        syncer.finish()?;
        let Staging {
            root,
            dir,
            restored,
            removed_leftovers,
            _lock,
            ..
        } = self;
        // From here on the directory is ours to rename; it is not removed on drop.
        let staging = dir.keep();
        let (swap, old) = swap_into_place(&staging, &root.join(OUTPUT_DIR))?;
        // The swap is made durable while the old output is removed.
        let (synced, removed) = rayon::join(
            || sync_dir(&root),
            || old.as_deref().map_or(Ok(()), remove_old_output),
        );
        synced?;
        removed?;
        Ok(WriteReport {
            swap,
            removed_leftovers,
            restored,
        })
    }
}

/// How many files of the old output are removed at once: removing a file
/// mostly waits on the filesystem (where blocks are discarded as they are
/// freed, on the device), so several removals overlap. Measured on the x1
/// ingest: 12 took half the time after the swap that 4 did; 24, no less.
const REMOVE_THREADS: usize = 12;

/// Removes the old output, swapped out of `normalized/`, its files by several threads.
fn remove_old_output(old: &Path) -> Result<()> {
    let files = list_files(old)?;
    let share = files.len().div_ceil(REMOVE_THREADS).max(1);
    std::thread::scope(|scope| {
        let removals: Vec<_> = files
            .chunks(share)
            .map(|some| scope.spawn(move || some.iter().try_for_each(fs::remove_file)))
            .collect();
        removals.into_iter().try_for_each(|r| {
            r.join()
                .unwrap_or_else(|_| Err(std::io::ErrorKind::Other.into()))
        })
    })
    .and_then(|()| fs::remove_dir_all(old))
    .with_context(|| format!("cannot remove the old output {}", old.display()))
}

/// The files under `dir`, at any depth.
fn list_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries =
            fs::read_dir(&current).with_context(|| format!("cannot list {}", current.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot list {}", current.display()))?;
            if entry.file_type()?.is_dir() {
                pending.push(entry.path());
            } else {
                files.push(entry.path());
            }
        }
    }
    Ok(files)
}

/// Fsyncs files on threads of its own: an fsync waits on the disk, not the
/// CPU, so it should not hold a thread that renders, and several at once
/// let the filesystem commit them together.
#[derive(Debug, Default)]
pub struct Syncer {
    queue: Option<std::sync::mpsc::Sender<(PathBuf, File)>>,
    threads: Vec<std::thread::JoinHandle<Result<()>>>,
}

/// How many fsyncs may wait on the disk at once: the x1 ingest fsyncs 26
/// files and directories, and on a busy disk one takes several
/// milliseconds, so 4 at a time kept the swap waiting; 24 were no faster
/// than 12.
const SYNC_THREADS: usize = 12;

impl Syncer {
    pub fn start() -> Syncer {
        let (queue, files) = std::sync::mpsc::channel::<(PathBuf, File)>();
        let files = std::sync::Arc::new(Mutex::new(files));
        let threads = (0..SYNC_THREADS)
            .map(|_| {
                let files = files.clone();
                std::thread::spawn(move || {
                    let mut result = Ok(());
                    // Every file is synced, also after an error: the first error is kept.
                    loop {
                        // The queue's lock is released before the fsync.
                        let next = lock(&files).recv();
                        let Ok((path, file)) = next else { break };
                        let synced = file
                            .sync_all()
                            .with_context(|| format!("cannot write {}", path.display()));
                        result = result.and(synced);
                    }
                    result
                })
            })
            .collect();
        Syncer {
            queue: Some(queue),
            threads,
        }
    }

    /// Fsyncs `file` (at `path`, for errors) soon, on another thread; its
    /// error is returned by [`Syncer::finish`].
    pub fn sync(&self, path: PathBuf, file: File) -> Result<()> {
        let sent = match &self.queue {
            Some(queue) => queue.send((path, file)),
            None => Err(std::sync::mpsc::SendError((path, file))),
        };
        match sent {
            Ok(()) => Ok(()),
            // No thread left to take it: synced here.
            Err(std::sync::mpsc::SendError((path, file))) => file
                .sync_all()
                .with_context(|| format!("cannot write {}", path.display())),
        }
    }

    /// Fsyncs the directory `dir` soon, on another thread (a no-op where
    /// directories cannot be opened as files).
    pub fn sync_dir(&self, dir: &Path) -> Result<()> {
        #[cfg(unix)]
        {
            let opened =
                File::open(dir).with_context(|| format!("cannot sync {}", dir.display()))?;
            self.sync(dir.to_path_buf(), opened)?;
        }
        #[cfg(not(unix))]
        let _ = dir;
        Ok(())
    }

    /// Waits until every file given is fsynced; the first error, if any.
    pub fn finish(mut self) -> Result<()> {
        drop(self.queue.take());
        let mut result = Ok(());
        for thread in self.threads.drain(..) {
            let joined = thread
                .join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("an fsync thread panicked")));
            result = result.and(joined);
        }
        result
    }
}

/// A mutex's data, also after a thread panicked holding it (the data is a
/// list that is only pushed to).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Entries of `root` whose name matches `wanted`, sorted by name.
fn leftovers(root: &Path, wanted: fn(&str) -> bool) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in fs::read_dir(root).with_context(|| format!("cannot list {}", root.display()))? {
        let entry = entry.with_context(|| format!("cannot list {}", root.display()))?;
        if wanted(&entry.file_name().to_string_lossy()) {
            found.push(entry.path());
        }
    }
    found.sort();
    Ok(found)
}

/// If an interrupted two-rename swap left no `normalized/` but the old
/// output set aside, puts it back, so a failure of this run cannot leave none.
fn restore_set_aside_output(root: &Path, target: &Path) -> Result<Option<PathBuf>> {
    if target.exists() {
        return Ok(None);
    }
    let set_aside = leftovers(root, is_set_aside)?
        .into_iter()
        .find(|p| p.is_dir());
    let Some(previous) = set_aside else {
        return Ok(None);
    };
    fs::rename(&previous, target)
        .with_context(|| format!("cannot restore {}", previous.display()))?;
    Ok(Some(previous))
}

fn remove_leftovers(root: &Path) -> Result<Vec<PathBuf>> {
    let found = leftovers(root, |name| is_staging(name) || is_set_aside(name))?;
    for path in &found {
        let removed = if path.is_dir() {
            fs::remove_dir_all(path)
        } else {
            fs::remove_file(path)
        };
        removed.with_context(|| format!("cannot remove {}", path.display()))?;
    }
    Ok(found)
}

/// Makes a directory's entries durable (a no-op where directories cannot
/// be opened as files).
fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("cannot sync {}", dir.display()))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Puts `staging` in the place of `target`; the old output's place, when
/// it is left to remove (after an exchange, at `staging`).
fn swap_into_place(staging: &Path, target: &Path) -> Result<(Swap, Option<PathBuf>)> {
    if !target.exists() {
        fs::rename(staging, target)
            .with_context(|| format!("cannot move the output into {}", target.display()))?;
        return Ok((Swap::Created, None));
    }
    match exchange(staging, target) {
        Ok(()) => Ok((Swap::Exchanged, Some(staging.to_path_buf()))),
        Err(e) if exchange_unsupported(&e) => {
            swap_by_renames(staging, target)?;
            Ok((Swap::Renamed, None))
        }
        Err(e) => Err(e).with_context(|| {
            format!(
                "cannot exchange {} with {}",
                staging.display(),
                target.display()
            )
        }),
    }
}

/// Swaps two directory entries in one step.
#[cfg(target_os = "linux")]
pub fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

/// Swaps two directory entries in one step (not available here).
#[cfg(not(target_os = "linux"))]
pub fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// True when the system or filesystem has no atomic exchange.
fn exchange_unsupported(e: &std::io::Error) -> bool {
    if e.kind() == std::io::ErrorKind::Unsupported {
        return true;
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::io::Errno;
        let errno = e.raw_os_error().map(Errno::from_raw_os_error);
        matches!(
            errno,
            Some(Errno::INVAL) | Some(Errno::NOSYS) | Some(Errno::OPNOTSUPP)
        )
    }
    #[cfg(not(target_os = "linux"))]
    false
}

/// The fallback: `target` aside, `staging` in, the old output removed.
/// If the second rename fails, the old output is put back.
fn swap_by_renames(staging: &Path, target: &Path) -> Result<()> {
    let suffix = staging
        .file_name()
        .map(|n| n.to_string_lossy().replace(STAGING_PREFIX, ""))
        .unwrap_or_default();
    let previous = target.with_file_name(format!("{PREVIOUS_PREFIX}{suffix}"));
    fs::rename(target, &previous)
        .with_context(|| format!("cannot move {} aside", target.display()))?;
    if let Err(e) = fs::rename(staging, target) {
        let _ = fs::rename(&previous, target);
        return Err(e).with_context(|| format!("cannot move the output into {}", target.display()));
    }
    fs::remove_dir_all(&previous)
        .with_context(|| format!("cannot remove the old output {}", previous.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(version: &str) -> BTreeMap<String, Vec<u8>> {
        ["a.csv", "extracted/b.csv", "extracted/c.json"]
            .into_iter()
            .map(|p| (p.to_string(), format!("{version} {p}\n").into_bytes()))
            .collect()
    }

    fn read(root: &Path, relative: &str) -> String {
        fs::read_to_string(root.join(OUTPUT_DIR).join(relative)).unwrap()
    }

    fn names(root: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn the_first_write_creates_and_the_next_swaps() {
        let dir = tempfile::tempdir().unwrap();
        let report = replace_output(dir.path(), &files("one")).unwrap();
        assert_eq!(report.swap, Swap::Created);
        let report = replace_output(dir.path(), &files("two")).unwrap();
        #[cfg(target_os = "linux")]
        assert_eq!(report.swap, Swap::Exchanged);
        assert_eq!(read(dir.path(), "extracted/b.csv"), "two extracted/b.csv\n");
        assert_eq!(names(dir.path()), [LOCK_FILE, OUTPUT_DIR]);
    }

    #[cfg(unix)]
    #[test]
    fn the_output_has_the_permissions_of_a_plain_directory() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        replace_output(dir.path(), &files("one")).unwrap();
        fs::create_dir(dir.path().join("plain")).unwrap();
        let mode = |name: &str| {
            let path = dir.path().join(name);
            fs::metadata(path).unwrap().permissions().mode()
        };
        assert_eq!(mode(OUTPUT_DIR), mode("plain"));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn exchange_swaps_two_directories_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        fs::create_dir(&a).unwrap();
        fs::create_dir(&b).unwrap();
        fs::write(a.join("from-a"), "").unwrap();
        fs::write(b.join("from-b"), "").unwrap();
        exchange(&a, &b).unwrap();
        assert!(a.join("from-b").exists() && b.join("from-a").exists());
    }

    #[test]
    fn the_fallback_swap_replaces_the_output_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        replace_output(root, &files("one")).unwrap();
        let staging = root.join(format!("{STAGING_PREFIX}x"));
        fs::create_dir(&staging).unwrap();
        for (relative, bytes) in files("two") {
            let path = staging.join(relative);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, bytes).unwrap();
        }
        swap_by_renames(&staging, &root.join(OUTPUT_DIR)).unwrap();
        assert_eq!(read(root, "a.csv"), "two a.csv\n");
        assert_eq!(names(root), [LOCK_FILE, OUTPUT_DIR]);
    }

    #[test]
    fn leftovers_of_interrupted_runs_are_removed_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        replace_output(root, &files("one")).unwrap();
        // A run killed while staging, one killed after setting the old output
        // aside (fallback), and the fixed names of the earlier writer.
        let partial = root.join(format!("{STAGING_PREFIX}killed"));
        fs::create_dir_all(partial.join("extracted")).unwrap();
        fs::write(partial.join("a.csv"), "half").unwrap();
        fs::create_dir(root.join(format!("{PREVIOUS_PREFIX}killed"))).unwrap();
        fs::create_dir(root.join(".normalized.tmp")).unwrap();
        let report = replace_output(root, &files("two")).unwrap();
        let removed: Vec<String> = report
            .removed_leftovers
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            removed,
            [
                ".normalized.previous-killed",
                ".normalized.staging-killed",
                ".normalized.tmp"
            ]
        );
        assert!(report
            .leftover_summary()
            .contains(".normalized.staging-killed, left by an interrupted run"));
        assert_eq!(names(root), [LOCK_FILE, OUTPUT_DIR]);
        assert_eq!(read(root, "a.csv"), "two a.csv\n");
    }

    #[test]
    fn an_output_set_aside_by_a_killed_fallback_swap_is_put_back_first() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        replace_output(root, &files("one")).unwrap();
        // Killed between the two renames: no normalized/, the old one aside.
        let aside = root.join(format!("{PREVIOUS_PREFIX}killed"));
        fs::rename(root.join(OUTPUT_DIR), &aside).unwrap();
        assert_eq!(
            restore_set_aside_output(root, &root.join(OUTPUT_DIR)).unwrap(),
            Some(aside)
        );
        assert_eq!(read(root, "a.csv"), "one a.csv\n");
    }

    #[test]
    fn a_staged_copy_has_the_bytes_of_its_original() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::begin(dir.path()).unwrap();
        staging
            .create("extracted/guide.csv", |out| {
                Ok(out.write_all(b"a,b\n1,2\n")?)
            })
            .unwrap();
        staging.copy("extracted/guide.csv", "services.csv").unwrap();
        staging.commit().unwrap();
        assert_eq!(read(dir.path(), "services.csv"), "a,b\n1,2\n");
        assert_eq!(read(dir.path(), "extracted/guide.csv"), "a,b\n1,2\n");
        assert_eq!(names(dir.path()), [LOCK_FILE, OUTPUT_DIR]);
    }

    #[test]
    fn a_staging_dropped_before_its_commit_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        replace_output(root, &files("one")).unwrap();
        {
            let staging = Staging::begin(root).unwrap();
            staging
                .create("a.csv", |out| Ok(out.write_all(b"half")?))
                .unwrap();
            // A rendering that fails part-way.
            let failed = staging.create("b.csv", |out| {
                out.write_all(b"x")?;
                anyhow::bail!("rendering failed")
            });
            assert!(failed.is_err());
        }
        assert_eq!(read(root, "a.csv"), "one a.csv\n");
        assert_eq!(names(root), [LOCK_FILE, OUTPUT_DIR]);
    }

    #[test]
    fn a_failed_write_leaves_the_output_and_no_staging() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        replace_output(root, &files("one")).unwrap();
        // A file and a directory of the same name cannot both be written.
        let mut clash = files("two");
        clash.insert("a.csv/inner".into(), b"x".to_vec());
        assert!(replace_output(root, &clash).is_err());
        assert_eq!(read(root, "a.csv"), "one a.csv\n");
        assert_eq!(names(root), [LOCK_FILE, OUTPUT_DIR]);
    }
}
