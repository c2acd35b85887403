using System.Diagnostics;
using System.Globalization;

namespace SharpGrad.IO;

/// <summary>Writes a file so that readers see either the old file or the complete new one, never a half-written one.</summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes through <paramref name="write"/> into a temporary file next to <paramref name="path"/>
    /// (<c>.NAME.PID.GUID.tmp</c>), flushes it to disk, then renames it over <paramref name="path"/> (a rename within
    /// one directory is atomic on POSIX file systems). If writing fails, the temporary file is deleted and
    /// <paramref name="path"/> is untouched.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>
    /// Deletes the temporary files that <see cref="Write"/> left for <paramref name="path"/> when its process was
    /// killed mid-write: <c>.NAME.PID.GUID.tmp</c> next to it whose process is no longer running. Files of running
    /// processes (possibly mid-write) and of other names are left alone. Returns how many were deleted.
    /// </summary>
    public static int RemoveStaleTemporaries(string path)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) return 0;
        string prefix = $".{Path.GetFileName(full)}.";
        int removed = 0;
        foreach (var candidate in Directory.EnumerateFiles(dir, prefix + "*.tmp"))
        {
            // The part between the name and ".tmp" is "PID.GUID", GUID as 32 hex digits.
            var middle = Path.GetFileName(candidate)[prefix.Length..^".tmp".Length].Split('.');
            if (middle.Length != 2 || middle[1].Length != 32 || !Guid.TryParseExact(middle[1], "N", out _)
                || !int.TryParse(middle[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || IsRunning(pid)) continue;
            try
            {
                File.Delete(candidate);
                removed++;
            }
            catch (IOException) { }   // removed by someone else meanwhile, or not ours to remove: leave it
            catch (UnauthorizedAccessException) { }
        }
        return removed;
    }

    static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;   // no process has this id
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
