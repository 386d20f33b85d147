namespace CnnParity.Core.Data;

/// <summary>
/// Reads the bytes after the header without trusting the header's size: a raw file is checked against
/// its length before anything is allocated; a gzip stream (whose length is unknown) is read in growing
/// chunks, so a header that lies costs at most about twice the bytes that really arrive.
/// </summary>
internal static class IdxPayload
{
    private const int FirstChunkBytes = 1 << 20;

    // How far past the payload a gzip stream is drained to say how much extra there is.
    private const int TrailingProbeBytes = 1 << 20;

    /// <param name="rawRemaining">Bytes left in an uncompressed file; null for a gzip stream.</param>
    public static byte[] Read(Stream data, string path, IdxHeader header, long? rawRemaining)
    {
        long expected = header.PayloadBytes;
        if (rawRemaining is long available)
        {
            if (available < expected)
                throw Truncated(path, header, available);
            if (available > expected)
                throw Trailing(path, header, $"{header.Holds(available)}");
        }
        if (expected > Array.MaxLength)
            throw new IdxFormatException(path,
                $"payload too large: header says {header.Describe(header.Count)} ({expected} bytes), more than one array can hold");

        byte[] payload = rawRemaining is null ? ReadGrowing(data, path, header) : ReadExact(data, path, header);
        if (rawRemaining is null)
            CheckNothingFollows(data, path, header);
        return payload;
    }

    private static byte[] ReadExact(Stream data, string path, IdxHeader header)
    {
        var payload = new byte[header.PayloadBytes];
        int got = data.ReadAtLeast(payload, payload.Length, throwOnEndOfStream: false);
        if (got < payload.Length)
            throw Truncated(path, header, got); // the file shrank while we read it
        return payload;
    }

    private static byte[] ReadGrowing(Stream data, string path, IdxHeader header)
    {
        int expected = (int)header.PayloadBytes;
        var buffer = new byte[Math.Min(expected, FirstChunkBytes)];
        int filled = 0;
        while (filled < expected)
        {
            if (filled == buffer.Length)
                Array.Resize(ref buffer, (int)Math.Min(expected, 2L * buffer.Length));
            int got = data.Read(buffer, filled, buffer.Length - filled);
            if (got == 0)
                throw Truncated(path, header, filled);
            filled += got;
        }
        return buffer;
    }

    private static void CheckNothingFollows(Stream data, string path, IdxHeader header)
    {
        Span<byte> probe = stackalloc byte[4096];
        long extra = 0;
        int got;
        while (extra <= TrailingProbeBytes && (got = data.Read(probe)) > 0)
            extra += got;
        if (extra == 0)
            return;
        string holds = header.Holds(header.PayloadBytes + extra);
        throw Trailing(path, header, extra > TrailingProbeBytes ? $"more than {holds}" : holds);
    }

    private static IdxFormatException Truncated(string path, IdxHeader header, long bytes) =>
        new(path, $"truncated payload: header says {header.Describe(header.Count)}, file holds {header.Holds(bytes)}");

    private static IdxFormatException Trailing(string path, IdxHeader header, string holds) =>
        new(path, $"trailing bytes after payload: header says {header.Describe(header.Count)}, file holds {holds}");
}
