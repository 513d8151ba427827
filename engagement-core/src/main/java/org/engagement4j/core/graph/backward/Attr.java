package org.engagement4j.core.graph.backward;

import java.util.Arrays;
import org.engagement4j.core.onnx.OnnxProtos.AttributeProto;
import org.engagement4j.core.onnx.OnnxProtos.NodeProto;

/** Reading the attributes of a forward node, with ONNX's defaults supplied by the caller. */
final class Attr {

    private Attr() {
    }

    static AttributeProto find(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    static long intOf(NodeProto n, String name, long fallback) {
        AttributeProto a = find(n, name);
        return a == null ? fallback : a.getI();
    }

    static float floatOf(NodeProto n, String name, float fallback) {
        AttributeProto a = find(n, name);
        return a == null ? fallback : a.getF();
    }

    static long[] intsOf(NodeProto n, String name, long[] fallback) {
        AttributeProto a = find(n, name);
        return a == null ? fallback : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    static String stringOf(NodeProto n, String name, String fallback) {
        AttributeProto a = find(n, name);
        return a == null ? fallback : a.getS().toStringUtf8();
    }

    static long[] filled(int n, long v) {
        long[] a = new long[n];
        Arrays.fill(a, v);
        return a;
    }
}
