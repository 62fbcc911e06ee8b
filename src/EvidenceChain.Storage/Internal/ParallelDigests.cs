using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.Channels;
using EvidenceChain.Core;
using EvidenceChain.Core.Digests;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// SHA-256 and, when asked, SM3 of a stream, each computed on its own task while the caller goes on receiving and
/// writing: appended bytes are copied into a few pooled segments that both hashes read side by side, so a large
/// upload costs the slower of the two hashes rather than their sum, and never holds more than
/// <see cref="Depth"/> segments.
/// </summary>
/// <remarks>
/// One writer: <see cref="AppendAsync"/> and <see cref="FinishAsync"/> are called in turn, never concurrently.
/// Dispose when done (it stops the hashing tasks and returns the segments).
/// </remarks>
internal sealed class ParallelDigests : IAsyncDisposable
{
    /// <summary>Bytes per segment.</summary>
    internal const int SegmentSize = 1 << 20;

    /// <summary>Segments in flight at most: the memory one upload holds.</summary>
    internal const int Depth = 4;

    private readonly SemaphoreSlim _free = new(Depth, Depth);
    private readonly ConcurrentQueue<byte[]> _spare = new();
    private readonly Channel<Segment>[] _queues;
    private readonly Task<Hash>[] _hashes;
    private readonly CancellationTokenSource _stop = new();
    private byte[]? _current;
    private int _filled;
    private bool _finished;

    /// <summary>Starts the hashing tasks.</summary>
    public ParallelDigests(bool withSm3)
    {
        _queues = new Channel<Segment>[withSm3 ? 2 : 1];
        _hashes = new Task<Hash>[_queues.Length];
        for (var i = 0; i < _queues.Length; i++)
        {
            _queues[i] = Channel.CreateUnbounded<Segment>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        }

        var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        _hashes[0] = Task.Run(() => HashAsync(_queues[0].Reader, data => sha256.AppendData(data), () =>
        {
            using (sha256)
            {
                return new Hash(sha256.GetHashAndReset());
            }
        }, _stop.Token), CancellationToken.None);
        if (withSm3)
        {
            var sm3 = new Sm3Hasher();
            _hashes[1] = Task.Run(() => HashAsync(_queues[1].Reader, sm3.Append, sm3.Finish, _stop.Token), CancellationToken.None);
        }
    }

    /// <summary>Bytes appended so far.</summary>
    public long Length { get; private set; }

    /// <summary>Hashes the next bytes; waits while the hashes are <see cref="Depth"/> segments behind.</summary>
    public async ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (!data.IsEmpty)
        {
            if (_current is null)
            {
                await _free.WaitAsync(cancellationToken);
                _current = TakeSegment();
                _filled = 0;
            }

            var take = Math.Min(SegmentSize - _filled, data.Length);
            data.Span[..take].CopyTo(_current.AsSpan(_filled));
            _filled += take;
            Length += take;
            data = data[take..];
            if (_filled == SegmentSize)
            {
                Publish();
            }
        }
    }

    /// <summary>Waits for both hashes to take in everything appended and returns the digests.</summary>
    public async Task<ArtefactDigests> FinishAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _finished = true;
        if (_current is not null)
        {
            Publish();
        }

        foreach (var queue in _queues)
        {
            queue.Writer.TryComplete();
        }

        var sha256 = await _hashes[0].WaitAsync(cancellationToken);
        Hash? sm3 = _hashes.Length > 1 ? await _hashes[1].WaitAsync(cancellationToken) : null;
        return new ArtefactDigests(Length, sha256, sm3);
    }

    /// <summary>Stops the hashing tasks (if still running) and returns the segments to the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        _finished = true;
        await _stop.CancelAsync();
        foreach (var queue in _queues)
        {
            queue.Writer.TryComplete();
        }

        foreach (var task in _hashes)
        {
            await ((Task)task).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        // Every hashing task has stopped: what is still queued or being filled is ours again.
        foreach (var queue in _queues)
        {
            while (queue.Reader.TryRead(out var segment))
            {
                segment.Release();
            }
        }

        if (_current is not null)
        {
            _spare.Enqueue(_current);
            _current = null;
        }

        while (_spare.TryDequeue(out var buffer))
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _free.Dispose();
        _stop.Dispose();
    }

    private byte[] TakeSegment()
    {
        if (_spare.TryDequeue(out var buffer))
        {
            return buffer;
        }

        return ArrayPool<byte>.Shared.Rent(SegmentSize);
    }

    private void Publish()
    {
        var segment = new Segment(this, _current!, _filled, _queues.Length);
        _current = null;
        _filled = 0;
        foreach (var queue in _queues)
        {
            queue.Writer.TryWrite(segment);
        }
    }

    private static async Task<Hash> HashAsync(ChannelReader<Segment> queue, SpanAction append, Func<Hash> finish, CancellationToken stop)
    {
        // A hash that fails still takes every segment, so that the writer and the other hash never wait for it.
        Exception? failure = null;
        while (await queue.WaitToReadAsync(stop))
        {
            while (queue.TryRead(out var segment))
            {
                try
                {
                    if (failure is null)
                    {
                        append(segment.Bytes.AsSpan(0, segment.Length));
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failure = e;
                }
                finally
                {
                    segment.Release();
                }
            }
        }

        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        return finish();
    }

    private delegate void SpanAction(ReadOnlySpan<byte> data);

    /// <summary>A filled segment, read by every hash; back to the spares once the last has read it.</summary>
    private sealed class Segment(ParallelDigests owner, byte[] bytes, int length, int readers)
    {
        private int _readers = readers;

        public byte[] Bytes => bytes;

        public int Length => length;

        public void Release()
        {
            if (Interlocked.Decrement(ref _readers) == 0)
            {
                owner._spare.Enqueue(bytes);
                owner._free.Release();
            }
        }
    }
}
