package synod.core;

import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Everything that crosses a socket. Each protocol declares its messages as records under a sealed
 * sub-interface; the frame codec registers them by simple class name, which is the JSON "type".
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
public interface Message {}
