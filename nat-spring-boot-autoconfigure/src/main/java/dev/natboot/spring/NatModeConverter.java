package dev.natboot.spring;

import dev.natboot.core.NatMode;

import org.springframework.core.convert.converter.Converter;

/**
 * Binds {@code nat.mode} from its text ({@code any}, {@code pcp:192.168.1.1}, {@code extip:203.0.113.7}, ...)
 * without reflection, so that binding needs no runtime hints in a native image. A value that is none of the
 * accepted forms fails with {@link dev.natboot.core.InvalidNatModeException}, which
 * {@link NatModeFailureAnalyzer} explains with the value's origin.
 */
public class NatModeConverter implements Converter<String, NatMode> {

	@Override
	public NatMode convert(String source) {
		return NatMode.of(source.trim());
	}

}
