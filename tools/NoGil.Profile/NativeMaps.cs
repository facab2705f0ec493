using System;
using System.Collections.Generic;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace NoGil.Profile;

/// <summary>
/// The JIT's IL-to-native maps of every method body in the trace (MethodLoadVerbose with its MethodILToNativeMap, at
/// JIT time and at rundown), so that a return address is mapped as the call it returns from: a caller frame's address
/// is the instruction after the call, which may already belong to the next statement.
/// </summary>
internal sealed class NativeMaps
{
    private readonly List<Body> _bodies = new();

    /// <summary>Reads the maps from the trace file itself: the converted trace keeps the load events but not the maps.</summary>
    public NativeMaps(string nettracePath)
    {
        // The runtime sends a body's load event and its map back to back on the thread that compiled it (or ran the
        // rundown); they are paired there, in either order.
        var lastLoad = new Dictionary<int, Body>();
        var pendingMap = new Dictionary<int, (long MethodId, long ReJitId, int[] IL, int[] Native)>();

        void OnLoad(MethodLoadUnloadVerboseTraceData load)
        {
            if (load.MethodSize <= 0)
            {
                return;
            }

            var body = new Body(load.MethodStartAddress, (ulong)load.MethodSize, load.MethodID, load.ReJITID);
            _bodies.Add(body);
            if (pendingMap.Remove(load.ThreadID, out var early) && early.MethodId == body.MethodId && early.ReJitId == body.ReJitId)
            {
                body.IL = early.IL;
                body.Native = early.Native;
            }
            else
            {
                lastLoad[load.ThreadID] = body;
            }
        }

        void OnMap(MethodILToNativeMapTraceData map)
        {
            if (map.MethodExtent != 0)
            {
                return;
            }

            int count = map.CountOfMapEntries;
            int[] il = new int[count];
            int[] native = new int[count];
            for (int i = 0; i < count; i++)
            {
                il[i] = map.ILOffset(i);
                native[i] = map.NativeOffset(i);
            }

            if (lastLoad.Remove(map.ThreadID, out Body? loaded) && loaded.MethodId == map.MethodID && loaded.ReJitId == map.ReJITID && loaded.IL is null)
            {
                loaded.IL = il;
                loaded.Native = native;
            }
            else
            {
                pendingMap[map.ThreadID] = (map.MethodID, map.ReJITID, il, native);
            }
        }

        using var source = new EventPipeEventSource(nettracePath);
        source.Clr.MethodLoadVerbose += OnLoad;
        source.Clr.MethodILToNativeMap += OnMap;
        var rundown = new ClrRundownTraceEventParser(source);
        rundown.MethodDCStopVerbose += OnLoad;
        rundown.MethodILToNativeMapDCStop += OnMap;
        source.Process();

        _bodies.RemoveAll(b => b.IL is null);
        _bodies.Sort((a, b) => a.Start.CompareTo(b.Start));
    }

    /// <summary>
    /// The IL offset of a code address, or null when no map covers it. A return address (<paramref name="leaf"/> false)
    /// is looked up one byte earlier: inside the call instruction.
    /// </summary>
    public (int Start, int End)? ILRange(ulong address, bool leaf)
    {
        ulong target = leaf ? address : address - 1;
        int lo = 0;
        int hi = _bodies.Count - 1;
        Body? found = null;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            if (_bodies[mid].Start <= target)
            {
                found = _bodies[mid];
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        // The last body starting at or below the address; a later body at the same start (the code of an unloaded
        // method reused) wins, as the newest.
        if (found is null || target >= found.Start + found.Size)
        {
            return null;
        }

        int offset = (int)(target - found.Start);
        int best = -1;
        int bestNative = -1;
        for (int i = 0; i < found.Native!.Length; i++)
        {
            // Negative IL offsets mark the prolog, the epilog and code without a mapping.
            if (found.IL![i] >= 0 && found.Native[i] <= offset && found.Native[i] >= bestNative)
            {
                best = found.IL[i];
                bestNative = found.Native[i];
            }
        }

        if (best < 0)
        {
            return null;
        }

        // Optimized code keeps few boundaries: the IL range up to the next boundary may hold several statements.
        int end = int.MaxValue;
        foreach (int il in found.IL!)
        {
            if (il > best && il < end)
            {
                end = il;
            }
        }

        return (best, end);
    }

    private sealed class Body
    {
        public Body(ulong start, ulong size, long methodId, long reJitId)
        {
            Start = start;
            Size = size;
            MethodId = methodId;
            ReJitId = reJitId;
        }

        public ulong Start { get; }

        public ulong Size { get; }

        public long MethodId { get; }

        public long ReJitId { get; }

        public int[]? IL { get; set; }

        public int[]? Native { get; set; }
    }
}
