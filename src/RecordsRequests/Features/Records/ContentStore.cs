using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Records;

/// <summary>
/// Content-addressed file storage in the data folder: a file is stored once under its SHA-256 and never changed.
/// Writing the same bytes twice is harmless, so imports and intake can be retried after a crash.
/// <para>
/// Durability is by group commit: a file is written and renamed into place without a flush of its own, then the caller
/// waits for a sync of the file system (syncfs) that started after its write. Deliveries that finish while a sync runs
/// share the next one, so concurrent writers cost one sync per round instead of one each, and nobody is answered before
/// their bytes are on disk. A flush per file (about 0.8 ms on our test machine) cost more than parsing the message.
/// </para>
/// </summary>
public sealed class ContentStore(IOptions<RecordsOptions> options)
{
    private readonly string _root = Path.Combine(options.DataPath(), "content");
    private readonly System.Threading.Lock _syncGate = new();
    private Task? _runningSync;
    private Task? _queuedSync;
    private long _syncs;

    /// <summary>How many file-system syncs this store has made: what group commit saves is visible here.</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

    public async Task<StoredContent> PutAsync(Stream content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_root);
        var temporary = Path.Combine(_root, $".incoming-{Guid.NewGuid():N}");
        try
        {
            long length;
            byte[] hash;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                length = file.Length;
                hash = sha.GetHashAndReset();
            }
            var sha256 = Convert.ToHexStringLower(hash);
            var target = PathOf(sha256);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            // Over a file there already too: the same bytes, or what a crash before its sync left of them (short, or at
            // its length with blocks never written), which a look at its length could not tell apart.
            File.Move(temporary, target, overwrite: true);
            // Also when the file was there already: another writer may have put it there and not be synced yet.
            await SyncAsync().WaitAsync(cancellationToken);
            return new StoredContent(sha256, length);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public async Task<StoredContent> PutAsync(byte[] content, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(content, writable: false);
        return await PutAsync(stream, cancellationToken);
    }

    /// <summary>
    /// Stores several contents and makes them durable together: each is written under its name, then one sync flushes
    /// the data and the names of the whole batch. A file found there already is kept only when it holds exactly the
    /// bytes: one a crash left short, or at its length with blocks never written, before its sync is replaced.
    /// </summary>
    public Task PutBatchAsync(IReadOnlyList<byte[]> contents, CancellationToken cancellationToken) =>
        PutBatchAsync(contents.Select(c => (Convert.ToHexStringLower(SHA256.HashData(c)), c)).ToList(), cancellationToken);

    /// <inheritdoc cref="PutBatchAsync(IReadOnlyList{byte[]}, CancellationToken)"/>
    /// <param name="contents">Each content with its SHA-256 as lowercase hex, already computed by the caller.</param>
    public async Task PutBatchAsync(IReadOnlyList<(string Sha256, byte[] Content)> contents, CancellationToken cancellationToken)
    {
        if (contents.Count == 0)
        {
            return;
        }
        Directory.CreateDirectory(_root);
        foreach (var (sha256, content) in contents)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var target = PathOf(sha256);
            if (!TryWriteNew(target, content) && !HoldsExactly(target, content))
            {
                Replace(target, content);
            }
        }
        await SyncAsync().WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Writes a file that is not there yet straight under its name; false when it is there already (stored before, or
    /// being stored by another writer, or left unfinished by a crash). Straight, not written aside and renamed: the name
    /// is the content's hash, so nothing else can be put there, and whoever finds it unfinished replaces it whole. A
    /// rename and a look per file were most of what storing an original cost the system, the bytes themselves the least.
    /// </summary>
    private static bool TryWriteNew(string target, byte[] content, bool folderMade = false)
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle file;
        try
        {
            file = CreateNew(target);
        }
        // Its folder is not there yet. .NET reports that as a missing file when another writer made the folder between the
        // failed open and .NET's look at the folder, which is the same case.
        catch (IOException e) when (e is DirectoryNotFoundException or FileNotFoundException && !folderMade)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            return TryWriteNew(target, content, folderMade: true);
        }
        catch (IOException) when (File.Exists(target))
        {
            return false;
        }
        using (file)
        {
            RandomAccess.Write(file, content, 0);
        }
        return true;
    }

    /// <summary>
    /// Whether the file there holds exactly these bytes. Read back, not judged by its length: after a crash before its
    /// sync, some file systems show a file at its full length with blocks that were never written. Only a file found
    /// there already is read (a message delivered again, the same attachment twice); one still being written by another
    /// writer, or locked by it, does not hold them yet and is replaced.
    /// </summary>
    private static bool HoldsExactly(string path, byte[] content)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (RandomAccess.GetLength(file) != content.LongLength)
            {
                return false;
            }
            for (var offset = 0; offset < content.Length;)
            {
                var read = RandomAccess.Read(file, buffer.AsSpan(0, Math.Min(buffer.Length, content.Length - offset)), offset);
                if (read == 0 || !buffer.AsSpan(0, read).SequenceEqual(content.AsSpan(offset, read)))
                {
                    return false;
                }
                offset += read;
            }
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Replaces a file whole: written aside and renamed over it, so no reader ever finds a part of it.</summary>
    private void Replace(string target, byte[] content)
    {
        var temporary = Path.Combine(_root, $".incoming-{Guid.NewGuid():N}");
        var moved = false;
        try
        {
            using (var file = CreateNew(temporary))
            {
                RandomAccess.Write(file, content, 0);
            }
            File.Move(temporary, target, overwrite: true);
            moved = true;
        }
        finally
        {
            if (!moved)
            {
                File.Delete(temporary);
            }
        }
    }

    private static Microsoft.Win32.SafeHandles.SafeFileHandle CreateNew(string path) =>
        File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);

    /// <summary>
    /// A sync that starts after this call: the running one if none is running, else the one queued behind it, which
    /// every writer arriving meanwhile shares (a sync already under way may have started before their write finished).
    /// </summary>
    private Task SyncAsync()
    {
        lock (_syncGate)
        {
            if (_queuedSync is not null)
            {
                return _queuedSync;
            }
            if (_runningSync is null || _runningSync.IsCompleted)
            {
                return _runningSync = Task.Run(SyncFileSystem);
            }
            var running = _runningSync;
            return _queuedSync = Task.Run(async () =>
            {
                await running.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                lock (_syncGate)
                {
                    _runningSync = _queuedSync;
                    _queuedSync = null;
                }
                SyncFileSystem();
            });
        }
    }

    /// <summary>syncfs(2) on the store's file system: the data and directory entries written so far reach the disk.</summary>
    private void SyncFileSystem()
    {
        Interlocked.Increment(ref _syncs);
        using var handle = File.OpenHandle(Path.Combine(_root, ".sync"), FileMode.OpenOrCreate, FileAccess.ReadWrite);
        if (NativeMethods.syncfs((int)handle.DangerousGetHandle()) != 0)
        {
            throw new IOException($"Flushing the content store to disk failed (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int syncfs(int fd);
    }

    /// <summary>Where the originals are (for a message that must name it).</summary>
    public string Folder => _root;

    public bool Exists(string sha256) => File.Exists(PathOf(sha256));

    /// <summary>Opens stored content for reading; throws <see cref="FileNotFoundException"/> if it was never stored.</summary>
    public Stream Open(string sha256) => new FileStream(PathOf(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);

    public async Task<byte[]> ReadAllBytesAsync(string sha256, CancellationToken cancellationToken) =>
        await File.ReadAllBytesAsync(PathOf(sha256), cancellationToken);

    private string PathOf(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
        {
            throw new ArgumentException("Not a SHA-256 hex digest.", nameof(sha256));
        }
        var key = sha256.ToLowerInvariant();
        return Path.Combine(_root, key[..2], key);
    }
}
